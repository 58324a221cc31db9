package io.revops.bridge.sandbox.salesforce;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * ChangeEventHeader followed by every object field as a nullable union. CREATE and UNDELETE carry all fields,
 * UPDATE only the changed ones (and lists them as a hex bitmap over field positions in changedFields, the nulled
 * ones in nulledFields), DELETE only the header. Dates are epoch milliseconds.
 */
final class ChangeDataCapture implements SObjectStore.ChangeListener {
    static final Schema HEADER = SchemaBuilder.record("ChangeEventHeader").namespace("com.sforce.eventbus").fields()
            .requiredString("entityName")
            .name("recordIds").type().array().items().stringType().noDefault()
            .requiredString("changeType")
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
    private final AtomicLong commitNumber = new AtomicLong(1000);

    ChangeDataCapture(EventBus bus) {
        this.bus = bus;
    }

    static String topic(String object) {
        return "/data/" + object + "ChangeEvent";
    }

    Schema schema(SObjectType type) {
        return schemas.computeIfAbsent(type.name(), name -> {
            SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(name + "ChangeEvent")
                    .namespace("com.sforce.eventbus").fields().name("ChangeEventHeader").type(HEADER).noDefault();
            type.fields().forEach((field, fieldType) -> {
                switch (fieldType) {
                    case DATETIME -> fields.optionalLong(field);
                    case NUMBER -> fields.optionalDouble(field);
                    case BOOLEAN -> fields.optionalBoolean(field);
                    default -> fields.optionalString(field);
                }
            });
            Schema schema = fields.endRecord();
            bus.register(topic(name), schema);
            return schema;
        });
    }

    @Override
    public void changed(SObjectType type, String changeType, String id, Map<String, Object> values, List<String> changedFields) {
        Schema schema = schema(type);
        GenericRecord event = event(schema, type.name(), changeType, List.of(id));
        GenericRecord header = (GenericRecord) event.get("ChangeEventHeader");
        List<String> nulled = new ArrayList<>();
        switch (changeType) {
            case "CREATE", "UNDELETE" -> type.fields().keySet().forEach(f -> event.put(f, avro(values.get(f))));
            case "UPDATE" -> changedFields.forEach(f -> {
                event.put(f, avro(values.get(f)));
                if (values.get(f) == null) {
                    nulled.add(f);
                }
            });
            default -> { }
        }
        header.put("changedFields", "UPDATE".equals(changeType) ? bitmap(schema, changedFields) : List.of());
        header.put("nulledFields", bitmap(schema, nulled));
        bus.publish(topic(type.name()), event);
    }

    /** A change event with a header and no fields, e.g. for a gap or overflow notice. */
    GenericRecord event(Schema schema, String object, String changeType, List<String> recordIds) {
        GenericRecord header = new GenericData.Record(HEADER);
        header.put("entityName", object);
        header.put("recordIds", recordIds);
        header.put("changeType", changeType);
        header.put("changeOrigin", "com/salesforce/api/rest/59.0;client=revops-sandbox");
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

    /** Salesforce's field bitmap: one hex number, bit n set when field n of the event schema is in the list. */
    static List<String> bitmap(Schema schema, List<String> fields) {
        if (fields.isEmpty()) {
            return List.of();
        }
        BigInteger bits = BigInteger.ZERO;
        for (String field : fields) {
            bits = bits.setBit(schema.getField(field).pos());
        }
        return List.of("0x" + bits.toString(16).toUpperCase());
    }

    private static Object avro(Object value) {
        return value instanceof Instant instant ? instant.toEpochMilli() : value;
    }
}
