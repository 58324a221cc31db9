package io.revops.bridge.sandbox.salesforce;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * How a field of each SObjectType.FieldType appears in a change event, as Salesforce's event schemas have it:
 * a datetime is a long of epoch milliseconds, a date an int of days since the epoch (logical type date), a number
 * a double, a checkbox a boolean; text, picklists, ids and every type not known here a string (the safe default:
 * a client can always read it).
 */
final class AvroFieldTypes {
    private static final Schema DATE = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    /** Salesforce's REST datetime (2024-01-31T10:15:00.000+0000) and ISO-8601 with a colon in the offset. */
    private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]").appendPattern("[XXX][XX][X]").toFormatter();

    private AvroFieldTypes() {
    }

    static Schema of(SObjectType.FieldType type) {
        return switch (type) {
            case DATETIME -> Schema.create(Schema.Type.LONG);
            case DATE -> DATE;
            case NUMBER -> Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            default -> Schema.create(Schema.Type.STRING);
        };
    }

    /** A stored value (REST writes text for dates) as the Avro value of a field with this schema. */
    static Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Date) {
            return (int) LocalDate.parse(value.toString().substring(0, 10)).toEpochDay();
        }
        return switch (schema.getType()) {
            case LONG -> value instanceof Instant instant ? instant.toEpochMilli()
                    : value instanceof Number number ? number.longValue()
                    : OffsetDateTime.parse(value.toString(), DATETIME).toInstant().toEpochMilli();
            case DOUBLE -> value instanceof Number number ? number.doubleValue() : Double.parseDouble(value.toString());
            case INT -> value instanceof Number number ? number.intValue() : Integer.parseInt(value.toString());
            case BOOLEAN -> value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString());
            default -> value instanceof Instant instant ? instant.toString() : value.toString();
        };
    }
}
