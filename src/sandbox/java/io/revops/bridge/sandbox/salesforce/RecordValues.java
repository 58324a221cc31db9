package io.revops.bridge.sandbox.salesforce;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * The field values of a REST write (create, update, upsert; one record of a collection or composite request) checked
 * against the org file and typed as the store keeps them, refused with Salesforce's error codes and words: an unknown
 * field INVALID_FIELD, a value of the wrong JSON type JSON_PARSER_ERROR or INVALID_TYPE_ON_FIELD_IN_RECORD, a bad id
 * MALFORMED_ID, a read-only field (auto-number, formula, system, not createable/updateable)
 * INVALID_FIELD_FOR_INSERT_UPDATE, a too long string STRING_TOO_LONG, a missing required field
 * REQUIRED_FIELD_MISSING. Field names are matched in any letter case and stored in the defined spelling.
 */
public final class RecordValues {
    /** What REST accepts for a datetime: 2024-05-01T10:00:00Z, ...00.000+0000, ...00+02:00. */
    private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd().toFormatter();

    private RecordValues() {
    }

    /**
     * @param creating true for a create (or the insert of an upsert): fields must be createable; false: updateable
     * @return the values by defined field name, typed: String, Double, Boolean, yyyy-MM-dd String, Instant
     */
    public static Map<String, Object> read(SObjectType type, JsonNode body, boolean creating) {
        if (body == null || !body.isObject()) {
            throw new SObjectException(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of " + type.name()
                    + " from " + token(body) + " value " + (body == null ? "" : body.toString())
                    + " or request may be missing a required field", List.of());
        }
        Map<String, Object> values = new HashMap<>();
        body.fields().forEachRemaining(entry -> {
            if (entry.getKey().equals("attributes")) {
                return;
            }
            SObjectField field = type.field(entry.getKey()).filter(f -> f.kind() != SObjectType.FieldType.ADDRESS)
                    .orElseThrow(() -> new SObjectException(400, "INVALID_FIELD", "No such column '" + entry.getKey()
                            + "' on sobject of type " + type.name(), List.of()));
            if (field.readOnly() || (creating ? !field.createable() : !field.updateable())) {
                throw new SObjectException(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "
                        + field.name() + ". Please check the security settings of this field and verify that it is "
                        + "read/write for your profile or permission set.", List.of(field.name()));
            }
            values.put(field.name(), value(field, entry.getValue()));
        });
        if (!creating) {
            for (String required : type.required()) {
                if (values.containsKey(required) && values.get(required) == null) {
                    throw missing(required);
                }
            }
        }
        return values;
    }

    /** A create must give every required field a value. */
    static void checkRequired(SObjectType type, Map<String, Object> values) {
        for (String required : type.required()) {
            if (values.get(required) == null) {
                throw missing(required);
            }
        }
    }

    private static SObjectException missing(String field) {
        return new SObjectException(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [" + field + "]",
                List.of(field));
    }

    private static Object value(SObjectField field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw parserError(field, value);
        }
        return switch (field.kind()) {
            case NUMBER -> number(field, value);
            case BOOLEAN -> bool(field, value);
            case DATE -> date(field, value);
            case DATETIME -> datetime(field, value);
            case REFERENCE -> id(field, value);
            default -> text(field, value);
        };
    }

    private static String text(SObjectField field, JsonNode value) {
        String text = value.asText();
        if (field.hasLength() && text.codePointCount(0, text.length()) > field.length()) {
            throw new SObjectException(400, "STRING_TOO_LONG", field.label() + ": data value too large: " + text
                    + " (max length=" + field.length() + ")", List.of(field.name()));
        }
        return text;
    }

    private static Double number(SObjectField field, JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (!value.isTextual()) {
            throw wrongType(field, value);
        }
        try {
            return Double.valueOf(value.asText().trim());
        } catch (NumberFormatException e) {
            throw parserError(field, value);
        }
    }

    private static Boolean bool(SObjectField field, JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual() && List.of("true", "false").contains(value.asText().toLowerCase())) {
            return Boolean.valueOf(value.asText());
        }
        throw value.isTextual() ? parserError(field, value) : wrongType(field, value);
    }

    private static String date(SObjectField field, JsonNode value) {
        if (!value.isTextual()) {
            throw wrongType(field, value);
        }
        try {
            return LocalDate.parse(value.asText()).toString();
        } catch (DateTimeParseException e) {
            throw parserError(field, value);
        }
    }

    private static Instant datetime(SObjectField field, JsonNode value) {
        if (!value.isTextual()) {
            throw wrongType(field, value);
        }
        try {
            var parsed = DATETIME.parseBest(value.asText(), OffsetDateTime::from, java.time.LocalDateTime::from);
            return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                    : ((java.time.LocalDateTime) parsed).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw parserError(field, value);
        }
    }

    private static String id(SObjectField field, JsonNode value) {
        String id = value.asText();
        if (!value.isTextual() || !id.matches("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}")) {
            throw new SObjectException(400, "MALFORMED_ID", field.label() + ": id value of incorrect type: " + id,
                    List.of(field.name()));
        }
        return id;
    }

    /** Salesforce's JSON reader could not turn the token into the field's Java type. */
    private static SObjectException parserError(SObjectField field, JsonNode value) {
        return new SObjectException(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of " + field.type()
                + " from " + token(value) + " value " + (value.isContainerNode() ? value.isArray() ? "[" : "{" : value.asText())
                + " or request may be missing a required field", List.of());
    }

    /** A JSON value of another kind (a boolean for a number, a number for a date, ...). */
    private static SObjectException wrongType(SObjectField field, JsonNode value) {
        return new SObjectException(400, "INVALID_TYPE_ON_FIELD_IN_RECORD", field.label() + ": value not of required type: "
                + value.asText(), List.of(field.name()));
    }

    private static String token(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "VALUE_NULL";
        }
        return switch (value.getNodeType()) {
            case ARRAY -> "START_ARRAY";
            case OBJECT -> "START_OBJECT";
            case STRING -> "VALUE_STRING";
            case BOOLEAN -> value.asBoolean() ? "VALUE_TRUE" : "VALUE_FALSE";
            case NUMBER -> value.isIntegralNumber() ? "VALUE_NUMBER_INT" : "VALUE_NUMBER_FLOAT";
            default -> "VALUE_NULL";
        };
    }
}
