package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import io.revops.bridge.policy.BusinessException;

/** Reading the adapters' input maps: a missing or malformed field is an invalid event, named in the message. */
final class InputFields {
    private InputFields() {
    }

    static String required(Map<String, Object> values, String field, String what) {
        Object value = values.get(field);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new BusinessException("invalid-event", what + " without " + field);
        }
        return String.valueOf(value);
    }

    /** A decimal given as string (quantity, price, amount): never through a double. */
    static BigDecimal decimal(Object value, String what) {
        try {
            return new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new BusinessException("invalid-event", what + " is not a decimal: " + value);
        }
    }

    static LocalDate date(Map<String, Object> values, String field, String what) {
        try {
            return LocalDate.parse(required(values, field, what));
        } catch (DateTimeParseException e) {
            throw new BusinessException("invalid-event", field + " of " + what + " is not a yyyy-MM-dd date: "
                    + values.get(field));
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lines(Map<String, Object> values, String what) {
        Object lines = values.get("lines");
        if (!(lines instanceof List<?> list) || list.stream().anyMatch(line -> !(line instanceof Map))) {
            throw new BusinessException("invalid-event", "lines of " + what + " must be a list of objects: " + lines);
        }
        return (List<Map<String, Object>>) list;
    }
}
