package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Values as Tryton's JSON-RPC carries them: Decimal, date and datetime as objects tagged with __class__. */
final class TrytonJson {
    private TrytonJson() {
    }

    /** A request value as the emulator stores it: BigDecimal, LocalDate, LocalDateTime, Integer, String, ... */
    static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            return switch (node.path("__class__").asText()) {
                case "Decimal" -> new BigDecimal(node.path("decimal").asText());
                case "date" -> LocalDate.of(node.path("year").asInt(), node.path("month").asInt(), node.path("day").asInt());
                case "datetime" -> LocalDateTime.of(node.path("year").asInt(), node.path("month").asInt(),
                        node.path("day").asInt(), node.path("hour").asInt(), node.path("minute").asInt(),
                        node.path("second").asInt(), node.path("microsecond").asInt() * 1000);
                default -> node;
            };
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(value(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asInt();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }

    /** A Float or Numeric field's value (a plain number or a Decimal object) as BigDecimal. */
    static BigDecimal decimal(JsonNode node) {
        Object value = value(node);
        return value == null ? null : new BigDecimal(value.toString());
    }

    /** A Float field's value (quantities): Tryton keeps a Python float and sends it as a plain JSON number. */
    static Double floating(JsonNode node) {
        BigDecimal value = decimal(node);
        return value == null ? null : value.doubleValue();
    }

    /** A stored value as Tryton answers it: BigDecimal for Numeric fields, Double for Float fields. */
    static Object json(Object value) {
        if (value instanceof BigDecimal decimal) {
            return Map.of("__class__", "Decimal", "decimal", decimal.toPlainString());
        }
        if (value instanceof LocalDate date) {
            return Map.of("__class__", "date", "year", date.getYear(), "month", date.getMonthValue(),
                    "day", date.getDayOfMonth());
        }
        if (value instanceof LocalDateTime time) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("__class__", "datetime");
            json.put("year", time.getYear());
            json.put("month", time.getMonthValue());
            json.put("day", time.getDayOfMonth());
            json.put("hour", time.getHour());
            json.put("minute", time.getMinute());
            json.put("second", time.getSecond());
            json.put("microsecond", time.getNano() / 1000);
            return json;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TrytonJson::json).toList();
        }
        return value;
    }
}
