package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tryton's JSON-RPC encoding of the values that plain JSON cannot carry exactly: Decimal, date and datetime travel
 * as objects tagged with __class__. Money therefore never passes through a double.
 */
final class TrytonValues {
    /** Tryton's datetimes have microseconds: all six digits are kept, so a datetime read back compares equal. */
    static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private TrytonValues() {
    }

    static Map<String, Object> decimal(BigDecimal value) {
        return Map.of("__class__", "Decimal", "decimal", value.toPlainString());
    }

    static BigDecimal decimal(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return new BigDecimal(value.has("decimal") ? value.get("decimal").asText() : value.asText());
    }

    static Map<String, Object> date(LocalDate value) {
        return Map.of("__class__", "date", "year", value.getYear(), "month", value.getMonthValue(), "day",
                value.getDayOfMonth());
    }

    static LocalDate date(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return LocalDate.of(value.get("year").asInt(), value.get("month").asInt(), value.get("day").asInt());
    }

    static Map<String, Object> datetime(LocalDateTime value) {
        return Map.of("__class__", "datetime", "year", value.getYear(), "month", value.getMonthValue(),
                "day", value.getDayOfMonth(), "hour", value.getHour(), "minute", value.getMinute(),
                "second", value.getSecond(), "microsecond", value.getNano() / 1000);
    }

    static LocalDateTime datetime(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return LocalDateTime.of(value.get("year").asInt(), value.get("month").asInt(), value.get("day").asInt(),
                value.path("hour").asInt(), value.path("minute").asInt(), value.path("second").asInt(),
                value.path("microsecond").asInt() * 1000);
    }
}
