package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.tryton.TrytonEmulator.TrytonError;

/**
 * Tryton search domains: a list of clauses [field, operator, value] joined by AND, or by OR when the list starts
 * with "OR"; a nested list is a sub-domain. Operators =, !=, <, <=, >, >=, in, not in; a field the store cannot
 * resolve is an error, as an unknown field is for Tryton.
 */
final class Domain {
    private Domain() {
    }

    /** @param field the record's value of a (possibly dotted) field name; lists stand for x2many values */
    static boolean matches(JsonNode domain, Function<String, Object> field) {
        boolean or = domain.size() > 0 && domain.get(0).asText().equals("OR");
        boolean sawClause = false;
        for (JsonNode element : domain) {
            if (element.isTextual()) {
                continue; // the "OR" / "AND" marker
            }
            sawClause = true;
            boolean hit = isClause(element) ? clause(element, field) : matches(element, field);
            if (or && hit) {
                return true;
            }
            if (!or && !hit) {
                return false;
            }
        }
        return !or || !sawClause;
    }

    private static boolean isClause(JsonNode element) {
        return element.size() >= 3 && element.get(0).isTextual() && !element.get(0).asText().equals("OR")
                && !element.get(0).asText().equals("AND");
    }

    private static boolean clause(JsonNode clause, Function<String, Object> field) {
        Object actual = field.apply(clause.get(0).asText());
        String operator = clause.get(1).asText();
        Object expected = TrytonJson.value(clause.get(2));
        if (actual instanceof List<?> values && !operator.contains("in")) {
            // a clause on an x2many field matches when one of its values does
            return values.stream().anyMatch(value -> compare(value, operator, expected));
        }
        return compare(actual, operator, expected);
    }

    private static boolean compare(Object actual, String operator, Object expected) {
        return switch (operator) {
            case "=" -> equal(actual, expected);
            case "!=" -> !equal(actual, expected);
            case "in" -> ((List<?>) expected).stream().anyMatch(value -> equal(actual, value));
            case "not in" -> ((List<?>) expected).stream().noneMatch(value -> equal(actual, value));
            case "<", "<=", ">", ">=" -> {
                if (actual == null || expected == null) {
                    yield false; // SQL: a comparison with NULL is never true
                }
                int order = order(actual, expected);
                yield switch (operator) {
                    case "<" -> order < 0;
                    case "<=" -> order <= 0;
                    case ">" -> order > 0;
                    default -> order >= 0;
                };
            }
            default -> throw new TrytonError("UserError", "operator " + operator + " is not emulated");
        };
    }

    private static boolean equal(Object actual, Object expected) {
        if (actual instanceof Number a && expected instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        if (actual instanceof Boolean || expected instanceof Boolean) {
            return Objects.equals(actual, expected);
        }
        return Objects.equals(actual == null ? null : actual.toString(), expected == null ? null : expected.toString());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int order(Object actual, Object expected) {
        if (actual instanceof Number a && expected instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
        }
        return ((Comparable) actual).compareTo(expected);
    }
}
