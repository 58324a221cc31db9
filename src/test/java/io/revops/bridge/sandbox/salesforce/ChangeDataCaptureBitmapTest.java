package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every field bitmap the emulated org emits, decoded by a decoder written here from Salesforce's documented rules
 * (Pub/Sub API "Event Deserialization Considerations", and the reference decoders of Salesforce's pub-sub-api
 * examples), not by the emulator's or the runtime's code: a bitmap field is a list of strings; the first one,
 * "0x" and hex digit pairs (whole bytes, most significant byte first, as the examples' hex-to-bytes conversion
 * requires), has bit n set for the field at position n of the event schema; every further one is
 * "{ParentFieldPosition}-{NestedFieldBitmap}" for the nested fields of the compound field at that position.
 */
class ChangeDataCaptureBitmapTest {
    private static final String TOPIC = "/data/AccountChangeEvent";

    private EventBus bus;
    private SObjectStore store;

    @BeforeEach
    void org() {
        bus = new EventBus();
        store = new SObjectStore(new ChangeDataCapture(bus));
        store.define(SObjectType.account());
        store.define(SObjectType.order());
    }

    @Test
    void aCreateNestsTheAddressAndListsNoFields() throws IOException {
        String id = store.create("Account", account());

        GenericRecord event = only(events(TOPIC));
        assertThat(decoded(event, "changedFields")).isEmpty();
        assertThat(decoded(event, "nulledFields")).isEmpty();
        assertThat(event.getSchema().getField("BillingCity")).isNull();
        GenericRecord billing = (GenericRecord) event.get("BillingAddress");
        assertThat(billing.get("Street")).hasToString("1 Market St");
        assertThat(billing.get("City")).hasToString("San Francisco");
        assertThat(billing.get("State")).hasToString("CA");
        assertThat(billing.get("PostalCode")).hasToString("94105");
        assertThat(billing.get("Country")).hasToString("US");
        assertThat(billing.get("Latitude")).isNull();
        assertThat(event.get("ShippingAddress")).as("an empty address is null, as a real org sends it").isNull();
        assertThat(((GenericRecord) event.get("ChangeEventHeader")).get("recordIds").toString()).contains(id);
    }

    @Test
    void anUpdateOfOneFieldIsOneBitInWholeBytes() throws IOException {
        String id = store.create("Account", account());
        store.update("Account", id, Map.of("Phone", "+1 555 0199"));

        GenericRecord event = events(TOPIC).get(1);
        assertThat(raw(event, "changedFields")).singleElement().satisfies(b -> assertThat(b).matches("0x([0-9A-F]{2})+"));
        assertThat(decoded(event, "changedFields")).containsExactlyInAnyOrder("Phone", "LastModifiedDate");
        assertThat(decoded(event, "nulledFields")).isEmpty();
        assertThat(event.get("BillingAddress")).isNull();
    }

    @Test
    void anUpdateOfANestedAddressFieldIsAPositionDashBitmapEntry() throws IOException {
        String id = store.create("Account", account());
        store.update("Account", id, Map.of("BillingCity", "Oakland"));

        GenericRecord event = events(TOPIC).get(1);
        int position = event.getSchema().getField("BillingAddress").pos();
        int city = ChangeDataCapture.ADDRESS.getField("City").pos();
        assertThat(raw(event, "changedFields")).hasSize(2).last()
                .isEqualTo(position + "-0x" + String.format("%02X", 1 << city));
        assertThat(decoded(event, "changedFields")).containsExactlyInAnyOrder("LastModifiedDate", "BillingAddress.City");
        GenericRecord billing = (GenericRecord) event.get("BillingAddress");
        assertThat(billing.get("City")).hasToString("Oakland");
        assertThat(billing.get("Street")).as("unchanged components are not sent").isNull();
    }

    @Test
    void nullingAStreetListsItAsChangedAndNulled() throws IOException {
        String id = store.create("Account", account());
        Map<String, Object> nulling = new HashMap<>();
        nulling.put("BillingStreet", null);
        nulling.put("Website", null);
        store.update("Account", id, nulling);
        Map<String, Object> onlyNested = new HashMap<>();
        onlyNested.put("BillingPostalCode", null);
        store.update("Account", id, onlyNested);

        GenericRecord both = events(TOPIC).get(1);
        assertThat(decoded(both, "changedFields")).containsExactlyInAnyOrder("Website", "LastModifiedDate",
                "BillingAddress.Street");
        assertThat(decoded(both, "nulledFields")).containsExactlyInAnyOrder("Website", "BillingAddress.Street");
        GenericRecord nestedOnly = events(TOPIC).get(2);
        assertThat(raw(nestedOnly, "nulledFields")).singleElement().satisfies(b -> assertThat(b).matches("\\d+-0x([0-9A-F]{2})+"));
        assertThat(decoded(nestedOnly, "nulledFields")).containsExactly("BillingAddress.PostalCode");
    }

    @Test
    void everyBitmapOfAMixOfChangesDecodesToExactlyTheChangedFields() throws IOException {
        String id = store.create("Account", account());
        store.update("Account", id, Map.of("Name", "Acme Corp", "ERP_Customer_Number__c", "C-1", "CurrencyIsoCode", "EUR",
                "BillingCity", "Oakland", "BillingCountry", "DE", "ShippingCity", "Berlin", "ShippingStreet", "Unter den Linden 1"));
        store.delete("Account", id);
        store.undelete("Account", id);
        String account = store.create("Account", Map.of("Name", "Orders Inc"));
        String order = store.create("Order", Map.of("AccountId", account, "Status", "Draft", "EffectiveDate", "2026-12-01"));
        store.update("Order", order, Map.of("Status", "Activated", "Billing_Status__c", "Active"));

        GenericRecord mix = events(TOPIC).get(1);
        assertThat(decoded(mix, "changedFields")).containsExactlyInAnyOrder("Name", "ERP_Customer_Number__c",
                "CurrencyIsoCode", "LastModifiedDate", "BillingAddress.City", "BillingAddress.Country",
                "ShippingAddress.City", "ShippingAddress.Street");
        assertThat(raw(mix, "changedFields").get(0)).as("positions beyond 8 make it several whole bytes")
                .matches("0x([0-9A-F]{2}){2,}");
        assertThat(decoded(events("/data/OrderChangeEvent").get(1), "changedFields"))
                .containsExactlyInAnyOrder("Status", "Billing_Status__c", "LastModifiedDate");
        for (String topic : List.of(TOPIC, "/data/OrderChangeEvent")) {
            for (GenericRecord event : events(topic)) {
                for (String field : List.of("changedFields", "nulledFields", "diffFields")) {
                    assertThat(raw(event, field)).allSatisfy(b -> assertThat(b).matches("(\\d+-)?0x([0-9A-F]{2})+"));
                    decoded(event, field); // every position named exists in the schema
                }
            }
        }
    }

    private static Map<String, Object> account() {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("Name", "Acme");
        account.put("Phone", "+1 415 555 0100");
        account.put("Website", "https://acme.example");
        account.put("BillingStreet", "1 Market St");
        account.put("BillingCity", "San Francisco");
        account.put("BillingPostalCode", "94105");
        account.put("BillingState", "CA");
        account.put("BillingCountry", "US");
        return account;
    }

    /** The events of a topic as a subscriber sees them: Avro binary read with the schema GetSchema serves. */
    private List<GenericRecord> events(String topic) throws IOException {
        Schema schema = bus.schema(bus.schemaIdOf(topic).orElseThrow()).orElseThrow();
        Schema parsed = new Schema.Parser().parse(schema.toString());
        List<GenericRecord> events = new ArrayList<>();
        for (EventBus.StoredEvent stored : bus.all(topic)) {
            events.add(new GenericDatumReader<GenericRecord>(parsed)
                    .read(null, DecoderFactory.get().binaryDecoder(stored.payload(), null)));
        }
        return events;
    }

    private static GenericRecord only(List<GenericRecord> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static List<String> raw(GenericRecord event, String field) {
        List<String> raw = new ArrayList<>();
        ((List<?>) ((GenericRecord) event.get("ChangeEventHeader")).get(field)).forEach(b -> raw.add(b.toString()));
        return raw;
    }

    private static List<String> decoded(GenericRecord event, String field) {
        List<String> names = new ArrayList<>();
        for (String bitmap : raw(event, field)) {
            if (bitmap.startsWith("0x")) {
                names.addAll(namesOf(event.getSchema(), bitmap, ""));
            } else {
                String[] parts = bitmap.split("-", 2);
                Schema.Field parent = event.getSchema().getFields().get(Integer.parseInt(parts[0]));
                Schema nested = parent.schema().getTypes().stream().filter(s -> s.getType() == Schema.Type.RECORD)
                        .findFirst().orElseThrow(() -> new AssertionError(bitmap + " names a non-compound field"));
                names.addAll(namesOf(nested, parts[1], parent.name() + "."));
            }
        }
        return names;
    }

    /** Hex digit pairs to bytes (most significant first), then bit i of byte (count-1-i/8) is field i. */
    private static List<String> namesOf(Schema schema, String bitmap, String prefix) {
        String hex = bitmap.substring(2);
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < hex.length(); i += 2) {
            bytes[i / 2] = (byte) ((Character.digit(hex.charAt(i), 16) << 4) + Character.digit(hex.charAt(i + 1), 16));
        }
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            if ((bytes[bytes.length - 1 - bit / 8] >> (bit % 8) & 1) == 1) {
                assertThat(bit).as(bitmap + " position within " + schema.getName()).isLessThan(schema.getFields().size());
                names.add(prefix + schema.getFields().get(bit).name());
            }
        }
        return names;
    }
}
