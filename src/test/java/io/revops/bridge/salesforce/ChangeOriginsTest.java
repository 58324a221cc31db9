package io.revops.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** changeOrigin as Salesforce writes it (com/salesforce/api/<api>/<version>;client=<name>), read exactly. */
class ChangeOriginsTest {
    private final ChangeOrigins origins = new ChangeOrigins("revops-bridge");

    @Test
    void onlyTheRuntimesOwnClientNameIsAnEcho() {
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/rest/59.0;client=revops-bridge", "revops-bridge")).isTrue();
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/soap/47.0;client=revops-bridge", "revops-bridge")).isTrue();
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/rest/59.0;client=revops-bridge-staging", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/rest/59.0;client=GetCloudy", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy("com/salesforce/api/rest/59.0", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy("com/salesforce/ui", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy("", "revops-bridge")).isFalse();
        assertThat(ChangeOrigins.madeBy(null, "revops-bridge")).isFalse();
    }

    @Test
    void readsTheHeaderOfADecodedChangeEventAndToleratesAnythingElse() {
        assertThat(origins.fromThisRuntime(Map.of("ChangeEventHeader",
                Map.of("changeOrigin", "com/salesforce/api/rest/59.0;client=revops-bridge")))).isTrue();
        assertThat(origins.fromThisRuntime(Map.of("ChangeEventHeader", Map.of()))).isFalse();
        assertThat(origins.fromThisRuntime(Map.of("Name", "no header"))).isFalse();
        assertThat(origins.fromThisRuntime(null)).isFalse();
        assertThat(origins.callOptions()).isEqualTo("client=revops-bridge");
    }

    @Test
    void readsTheAvroEventAsDeliveredSoAnEchoIsDroppedBeforeDecoding() {
        Schema header = SchemaBuilder.record("ChangeEventHeader").namespace("com.sforce.eventbus").fields()
                .requiredString("changeOrigin").endRecord();
        Schema event = SchemaBuilder.record("AccountChangeEvent").namespace("com.sforce.eventbus").fields()
                .name("ChangeEventHeader").type(header).noDefault().optionalString("Name").endRecord();

        assertThat(origins.fromOthers(avro(event, header, "com/salesforce/api/rest/59.0;client=revops-bridge"))).isFalse();
        assertThat(origins.fromOthers(avro(event, header, "com/salesforce/api/rest/59.0"))).isTrue();
        assertThat(origins.fromOthers(avro(event, header, "com/salesforce/api/rest/59.0;client=revops-bridge-staging"))).isTrue();
        GenericRecord withoutHeader = new GenericData.Record(SchemaBuilder.record("Other").fields().optionalString("Name").endRecord());
        assertThat(origins.fromOthers(withoutHeader)).as("decoding refuses it, with a dead letter").isTrue();
        assertThat(origins.fromOthers("not an event")).isTrue();
    }

    private static GenericRecord avro(Schema event, Schema header, String changeOrigin) {
        GenericRecord h = new GenericData.Record(header);
        h.put("changeOrigin", new Utf8(changeOrigin)); // Avro's decoder hands strings over as Utf8
        GenericRecord e = new GenericData.Record(event);
        e.put("ChangeEventHeader", h);
        return e;
    }
}
