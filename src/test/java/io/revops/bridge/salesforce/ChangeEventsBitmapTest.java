package io.revops.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.BusinessException;

/**
 * The runtime's decoder of changedFields/nulledFields/diffFields on the bitmaps of Salesforce's documentation
 * (Pub/Sub API, "Event Deserialization Considerations": ['0x650004E0','4-0x10','7-0x06'], where 4 and 7 are the
 * positions of compound fields in the Avro schema) and on the byte-padded form Salesforce writes ("0x04").
 */
class ChangeEventsBitmapTest {
    private static final Schema HEADER = SchemaBuilder.record("ChangeEventHeader").namespace("com.sforce.eventbus")
            .fields().requiredString("entityName").name("recordIds").type().array().items().stringType().noDefault()
            .requiredString("changeType").requiredLong("commitTimestamp")
            .name("nulledFields").type().array().items().stringType().noDefault()
            .name("diffFields").type().array().items().stringType().noDefault()
            .name("changedFields").type().array().items().stringType().noDefault()
            .endRecord();
    private static final Schema ADDRESS = SchemaBuilder.record("Address").namespace("com.sforce.eventbus").fields()
            .optionalString("Street").optionalString("City").optionalString("State").optionalString("PostalCode")
            .optionalString("Country").optionalString("StateCode").optionalString("CountryCode")
            .optionalDouble("Latitude").optionalDouble("Longitude").optionalString("GeocodeAccuracy").endRecord();
    private static final Schema NAME = SchemaBuilder.record("Name").namespace("com.sforce.eventbus").fields()
            .optionalString("Salutation").optionalString("FirstName").optionalString("LastName").endRecord();
    /** 32 fields: header at 0, compound fields at 4 (BillingAddress) and 7 (Name), plain fields F1..F31 elsewhere. */
    private static final Schema DOCS_EVENT = docsEvent();

    private static Schema docsEvent() {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("LeadChangeEvent").namespace("com.sforce.eventbus")
                .fields().name("ChangeEventHeader").type(HEADER).noDefault();
        for (int i = 1; i < 32; i++) {
            if (i == 4) {
                fields.name("BillingAddress").type(Schema.createUnion(Schema.create(Schema.Type.NULL), ADDRESS)).withDefault(null);
            } else if (i == 7) {
                fields.name("Name").type(Schema.createUnion(Schema.create(Schema.Type.NULL), NAME)).withDefault(null);
            } else {
                fields.optionalString("F" + i);
            }
        }
        return fields.endRecord();
    }

    @Test
    void theDocumentationExampleDecodesToItsFieldsAndNestedFields() {
        // 0x650004E0: bytes 65 00 04 E0, most significant first -> bits 5,6,7 (E0), 10 (04), 24,26,29,30 (65)
        assertThat(ChangeEvents.fieldNames(DOCS_EVENT, List.of("0x650004E0", "4-0x10", "7-0x06"))).containsExactly(
                "F5", "F6", "Name", "F10", "F24", "F26", "F29", "F30",
                "BillingAddress.Country", "Name.FirstName", "Name.LastName");
    }

    @Test
    void wholeByteBitmapsAsSalesforceWritesThem() {
        assertThat(ChangeEvents.fieldNames(DOCS_EVENT, List.of("0x04"))).containsExactly("F2");
        assertThat(ChangeEvents.fieldNames(DOCS_EVENT, List.of("0x0100"))).containsExactly("F8");
        assertThat(ChangeEvents.fieldNames(DOCS_EVENT, List.of("0x80000000"))).containsExactly("F31");
        assertThat(ChangeEvents.fieldNames(DOCS_EVENT, List.of("4-0x02"))).as("only a nested field nulled")
                .containsExactly("BillingAddress.City");
        assertThat(ChangeEvents.fieldNames(DOCS_EVENT, List.of("0x", "4-0x01"))).containsExactly("BillingAddress.Street");
        assertThat(ChangeEvents.fieldNames(DOCS_EVENT, List.of("4-0x0200"))).containsExactly("BillingAddress.GeocodeAccuracy");
    }

    @Test
    void whatIsNotABitmapOrNamesNoFieldIsAnInvalidEvent() {
        for (String bad : List.of("0xZZ", "changed", "4-", "x-0x01", "0x0100000000")) {
            assertThatThrownBy(() -> ChangeEvents.fieldNames(DOCS_EVENT, List.of(bad))).as(bad)
                    .isInstanceOf(BusinessException.class);
        }
        assertThatThrownBy(() -> ChangeEvents.fieldNames(DOCS_EVENT, List.of("5-0x01"))).as("5 is not a compound field")
                .isInstanceOf(BusinessException.class);
        assertThatThrownBy(() -> ChangeEvents.fieldNames(DOCS_EVENT, List.of("40-0x01"))).as("there is no field 40")
                .isInstanceOf(BusinessException.class);
        assertThatThrownBy(() -> ChangeEvents.fieldNames(DOCS_EVENT, List.of("4-0x0400"))).as("Address has 10 fields")
                .isInstanceOf(BusinessException.class);
    }

    @Test
    void aDecodedEventNamesTheChangedNestedFieldsAndKeepsTheNestedRecord() {
        GenericRecord header = new GenericData.Record(HEADER);
        header.put("entityName", "Lead");
        header.put("recordIds", List.of("00Q000000000001AAA"));
        header.put("changeType", "UPDATE");
        header.put("commitTimestamp", 1795366800000L);
        header.put("changedFields", List.of("0x04", "4-0x02"));
        header.put("nulledFields", List.of("4-0x01"));
        header.put("diffFields", List.of());
        GenericRecord address = new GenericData.Record(ADDRESS);
        address.put("City", "Oakland");
        GenericRecord event = new GenericData.Record(DOCS_EVENT);
        event.put("ChangeEventHeader", header);
        event.put("F2", "two");
        event.put("BillingAddress", address);

        Map<String, Object> tree = new ChangeEvents().toJson(event);

        @SuppressWarnings("unchecked")
        Map<String, Object> decodedHeader = (Map<String, Object>) tree.get("ChangeEventHeader");
        assertThat(decodedHeader).containsEntry("changedFields", List.of("F2", "BillingAddress.City"))
                .containsEntry("nulledFields", List.of("BillingAddress.Street")).containsEntry("diffFields", List.of());
        assertThat(tree).containsEntry("BillingAddress", Map.of("City", "Oakland")).containsEntry("F2", "two");
    }
}
