package io.revops.bridge.sandbox.salesforce;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Change Data Capture as a Salesforce org publishes it: every committed change of a record becomes an
 * {@code <Object>ChangeEvent} on {@code /data/<Object>ChangeEvent}, an Avro record whose first field is the
 * ChangeEventHeader followed by every object field as a nullable union. Address compound fields are nested
 * records (BillingAddress{Street, City, ...}) in place of their flat REST fields (BillingStreet, BillingCity, ...).
 * CREATE and UNDELETE carry all fields, UPDATE only the changed ones (nested: only the changed components) and lists
 * them as bitmaps in changedFields, the nulled ones in nulledFields (see {@link Bitmaps}), DELETE only the header.
 * Field types are those of Salesforce's event schemas ({@link AvroFieldTypes}: datetimes epoch milliseconds, dates
 * epoch days), changeType is the ChangeType enum, and changeOrigin names the API and client of the call that made
 * the change ({@link ChangeOrigin}). Every event also goes to the standard channel /data/ChangeEvents.
 */
final class ChangeDataCapture implements SObjectStore.ChangeListener {
    /** The change types of Salesforce's ChangeEventHeader schema, an enum in the com.sforce.eventbus namespace. */
    static final Schema CHANGE_TYPE = SchemaBuilder.enumeration("ChangeType").namespace("com.sforce.eventbus")
            .symbols("CREATE", "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE",
                    "GAP_OVERFLOW");
    static final Schema HEADER = SchemaBuilder.record("ChangeEventHeader").namespace("com.sforce.eventbus").fields()
            .requiredString("entityName")
            .name("recordIds").type().array().items().stringType().noDefault()
            .name("changeType").type(CHANGE_TYPE).noDefault()
            .requiredString("changeOrigin")
            .requiredString("transactionKey")
            .requiredInt("sequenceNumber")
            .requiredLong("commitTimestamp")
            .requiredLong("commitNumber")
            .requiredString("commitUser")
            .name("nulledFields").type().array().items().stringType().noDefault()
            .name("diffFields").type().array().items().stringType().noDefault()
            .name("changedFields").type().array().items().stringType().noDefault()
            .endRecord();

    private final EventBus bus;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    /** Per object: flat address field -> its compound field, worked out once rather than for every change. */
    private final Map<String, Map<String, String>> compounds = new ConcurrentHashMap<>();
    private final AtomicLong commitNumber = new AtomicLong(1000);

    ChangeDataCapture(EventBus bus) {
        this.bus = bus;
        bus.registerChannel(ALL_CHANGE_EVENTS);
    }

    /** The standard channel that carries the change events of every CDC-enabled object, each with its own schema. */
    static final String ALL_CHANGE_EVENTS = "/data/ChangeEvents";

    static String topic(String object) {
        return "/data/" + eventName(object);
    }

    /** AccountChangeEvent; a custom object's drops the c of its suffix: Invoice__c -> Invoice__ChangeEvent. */
    static String eventName(String object) {
        return (object.endsWith("__c") ? object.substring(0, object.length() - 1) : object) + "ChangeEvent";
    }

    /** Salesforce's Address compound field as change events nest it (one named type, reused by every address). */
    static final Schema ADDRESS = SchemaBuilder.record("Address").namespace("com.sforce.eventbus").fields()
            .optionalString("Street").optionalString("City").optionalString("State").optionalString("PostalCode")
            .optionalString("Country").optionalString("StateCode").optionalString("CountryCode")
            .optionalDouble("Latitude").optionalDouble("Longitude").optionalString("GeocodeAccuracy")
            .endRecord();
    private static final Schema OPTIONAL_ADDRESS = Schema.createUnion(Schema.create(Schema.Type.NULL), ADDRESS);

    Schema schema(SObjectType type) {
        return schemas.computeIfAbsent(type.name(), name -> {
            SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(eventName(name))
                    .namespace("com.sforce.eventbus").fields().name("ChangeEventHeader").type(HEADER).noDefault();
            Map<String, String> compoundOf = compoundOf(type);
            Set<String> placed = new HashSet<>();
            type.fields().forEach((field, fieldType) -> {
                String compound = compoundOf.get(field);
                if (compound != null) {
                    // the compound field takes the place of its first component; the others live inside it
                    if (placed.add(compound)) {
                        fields.name(compound).type(OPTIONAL_ADDRESS).withDefault(null);
                    }
                    return;
                }
                fields.name(field).type(Schema.createUnion(Schema.create(Schema.Type.NULL), AvroFieldTypes.of(fieldType)))
                        .withDefault(null);
            });
            Schema schema = fields.endRecord();
            bus.register(topic(name), schema);
            return schema;
        });
    }

    /** Flat field name (BillingCity) -> the compound field that carries it in change events (BillingAddress). */
    private static Map<String, String> compoundOf(SObjectType type) {
        Map<String, String> compoundOf = new HashMap<>();
        type.addressFields().forEach((compound, components) -> components.values().forEach(f -> compoundOf.put(f, compound)));
        return compoundOf;
    }

    @Override
    public void changed(SObjectType type, String changeType, String id, Map<String, Object> values, List<String> changedFields) {
        Schema schema = schema(type);
        GenericRecord event = event(schema, type.name(), changeType, List.of(id));
        GenericRecord header = (GenericRecord) event.get("ChangeEventHeader");
        Map<String, Map<String, String>> addresses = type.addressFields();
        Map<String, String> compoundOf = compounds.computeIfAbsent(type.name(), name -> compoundOf(type));
        Bitmaps changed = new Bitmaps(schema);
        Bitmaps nulled = new Bitmaps(schema);
        switch (changeType) {
            case "CREATE", "UNDELETE" -> {
                for (Schema.Field field : schema.getFields()) {
                    if (field.pos() == 0) {
                        continue;
                    }
                    Map<String, String> components = addresses.get(field.name());
                    if (components == null) {
                        event.put(field.name(), avro(schema, field.name(), values.get(field.name())));
                    } else if (components.values().stream().anyMatch(f -> values.get(f) != null)) {
                        GenericRecord address = new GenericData.Record(ADDRESS);
                        components.forEach((component, flat) -> address.put(component, avro(ADDRESS, component,
                                values.get(flat))));
                        event.put(field.name(), address);
                    }
                }
            }
            case "UPDATE" -> changedFields.forEach(f -> {
                String compound = compoundOf.get(f);
                if (compound == null) {
                    Object value = avro(schema, f, values.get(f));
                    event.put(f, value);
                    changed.set(f);
                    if (value == null) {
                        nulled.set(f);
                    }
                    return;
                }
                // only the changed components are set in the nested record; the bitmap names them under the compound
                GenericRecord address = (GenericRecord) event.get(compound);
                if (address == null) {
                    address = new GenericData.Record(ADDRESS);
                    event.put(compound, address);
                }
                String component = component(addresses.get(compound), f);
                Object value = avro(ADDRESS, component, values.get(f));
                address.put(component, value);
                changed.setNested(compound, component);
                if (value == null) {
                    nulled.setNested(compound, component);
                }
            });
            default -> { }
        }
        header.put("changedFields", changed.entries());
        header.put("nulledFields", nulled.entries());
        // the object's own channel and the standard channel of all change events carry the same event
        bus.publish(List.of(topic(type.name()), ALL_CHANGE_EVENTS), event);
    }

    private static String component(Map<String, String> components, String flatField) {
        return components.entrySet().stream().filter(e -> e.getValue().equals(flatField)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    /** A change event with a header and no fields, e.g. for a gap or overflow notice. */
    GenericRecord event(Schema schema, String object, String changeType, List<String> recordIds) {
        GenericRecord header = new GenericData.Record(HEADER);
        header.put("entityName", object);
        header.put("recordIds", recordIds);
        header.put("changeType", new GenericData.EnumSymbol(CHANGE_TYPE, changeType));
        header.put("changeOrigin", ChangeOrigin.current());
        header.put("transactionKey", UUID.randomUUID().toString());
        header.put("sequenceNumber", 1);
        header.put("commitTimestamp", Instant.now().toEpochMilli());
        header.put("commitNumber", commitNumber.incrementAndGet());
        header.put("commitUser", SObjectStore.USER_ID);
        header.put("nulledFields", List.of());
        header.put("diffFields", List.of());
        header.put("changedFields", List.of());
        GenericRecord event = new GenericData.Record(schema);
        event.put("ChangeEventHeader", header);
        return event;
    }

    /**
     * Salesforce's field bitmaps (changedFields, nulledFields, diffFields): the first entry a bitmap over the
     * positions of the event schema's fields, then one entry "{position}-{bitmap}" per compound field over the
     * positions of its nested fields. A bitmap is written as whole bytes, most significant first, bit n of the
     * number being field n: "0x04" is field 2, "0x0100" field 8. No entry at all when nothing is set; no
     * top-level entry when only nested fields are set.
     */
    static final class Bitmaps {
        private final Schema schema;
        private BigInteger top = BigInteger.ZERO;
        private final Map<Integer, BigInteger> nested = new TreeMap<>();

        Bitmaps(Schema schema) {
            this.schema = schema;
        }

        void set(String field) {
            top = top.setBit(schema.getField(field).pos());
        }

        void setNested(String compound, String component) {
            nested.merge(schema.getField(compound).pos(), BigInteger.ZERO.setBit(ADDRESS.getField(component).pos()),
                    BigInteger::or);
        }

        List<String> entries() {
            List<String> entries = new ArrayList<>();
            if (top.signum() > 0) {
                entries.add(hex(top));
            }
            nested.forEach((pos, bits) -> entries.add(pos + "-" + hex(bits)));
            return entries;
        }
    }

    /** "0x" and the number as whole bytes in upper-case hex: 4 -> "0x04", 0x650004E0 -> "0x650004E0". */
    static String hex(BigInteger bits) {
        String digits = bits.toString(16).toUpperCase();
        return "0x" + (digits.length() % 2 == 1 ? "0" + digits : digits);
    }

    /** A stored value as the Avro value of a field of a record schema (an event, or the nested Address). */
    private static Object avro(Schema record, String field, Object value) {
        return AvroFieldTypes.value(nonNull(record.getField(field).schema()), value);
    }

    /** The value type of a nullable union ["null", T]. */
    private static Schema nonNull(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                ? schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow()
                : schema;
    }
}
