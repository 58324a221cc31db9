package io.revops.bridge.ops;

import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads an operations request body as strictly as an operator's intent needs: an unknown (e.g. misspelt) field, a
 * wrong type, a number for a time or trailing garbage is a 400 naming the field, never a silently ignored value.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS) // "true" is not true, 42 is not "42"
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .withCoercionConfig(LogicalType.Textual, text -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private StrictJson() {
    }

    /** The body as {@code type}; null when there is no body. */
    public static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.badRequest("unknown field '" + e.getPropertyName() + "'; known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (InvalidFormatException e) {
            throw ProblemException.badRequest("field '" + path(e) + "': " + describe(e.getTargetType())
                    + " expected, got " + abbreviate(String.valueOf(e.getValue())));
        } catch (MismatchedInputException e) {
            throw ProblemException.badRequest(e.getPath().isEmpty() ? "the body must be a JSON object"
                    : "field '" + path(e) + "': " + describe(e.getTargetType()) + " expected");
        } catch (JacksonException e) {
            throw ProblemException.badRequest("the body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return type == String.class ? "a string" : "a " + type.getSimpleName();
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? "'" + value + "'" : "'" + value.substring(0, 40) + "...'";
    }
}
