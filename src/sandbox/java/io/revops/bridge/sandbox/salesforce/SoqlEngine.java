package io.revops.bridge.sandbox.salesforce;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;
import io.revops.bridge.sandbox.salesforce.SObjectType.FieldType;
import io.revops.bridge.sandbox.salesforce.SoqlSyntax.*;

/**
 * SOQL as a Salesforce org answers it, over the emulator's records: the ONE entry point for every query of the
 * emulator ({@link #run}: REST query and queryAll, Bulk API 2.0 query jobs). Names of objects, fields and
 * relationships are case-insensitive; answers use the defined spelling and type values as REST does (numbers as
 * numbers, dates yyyy-MM-dd, datetimes 2024-05-01T10:00:00.000+0000). Errors are Salesforce's: INVALID_TYPE,
 * INVALID_FIELD, MALFORMED_QUERY, INVALID_QUERY_FILTER_OPERATOR, NUMBER_OUTSIDE_VALID_RANGE.
 */
public final class SoqlEngine {
    static final DateTimeFormatter SALESFORCE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final int MAX_OFFSET = 2000;
    private static final int MAX_FIELDS_LIMIT = 200;

    /** totalSize: rows matched (COUNT(): the count); records: the rows as REST returns them (none for COUNT()). */
    public record QueryResult(int totalSize, List<Map<String, Object>> records) {
    }

    private final SObjectStore store;
    private final String apiVersion;

    SoqlEngine(SObjectStore store, String apiVersion) {
        this.store = store;
        this.apiVersion = apiVersion;
    }

    /** @param includeDeleted also deleted records (queryAll; Bulk API 2.0 queryAll jobs) */
    public QueryResult run(String soql, boolean includeDeleted) {
        Query query = SoqlParser.parse(soql);
        SObjectType type = store.find(query.from()).orElseThrow(() -> SoqlParser.error(soql, query.fromPosition(),
                "INVALID_TYPE", "sObject type '" + query.from() + "' is not supported. If you are attempting to use a "
                        + "custom object, be sure to append the '__c' after the entity name. Please reference your WSDL "
                        + "or the describe call for the appropriate names."));
        Evaluation evaluation = new Evaluation(soql, includeDeleted);
        List<Map<String, Object>> rows = evaluation.rows(type, query, null, null);
        if (query.isCount()) {
            return new QueryResult(rows.size(), List.of());
        }
        return new QueryResult(rows.size(), evaluation.output(type, query, rows));
    }

    /** One query's evaluation: the query text for error messages and the deleted-records switch. */
    private final class Evaluation {
        private final String soql;
        private final boolean includeDeleted;

        Evaluation(String soql, boolean includeDeleted) {
            this.soql = soql;
            this.includeDeleted = includeDeleted;
        }

        /** The matching records of a query, sorted and cut; for a subquery only the children of one parent. */
        List<Map<String, Object>> rows(SObjectType type, Query query, String parentField, String parentId) {
            checkSelect(type, query);
            Predicate<Map<String, Object>> where = query.where() == null ? r -> true : compile(type, query.where());
            List<Map<String, Object>> rows;
            Optional<Comparison> indexed = indexedEquality(type, query.where());
            if (parentField != null) {
                rows = store.findBy(type.name(), parentField, parentId, includeDeleted).stream().filter(where).toList();
            } else if (indexed.isPresent()) {
                SObjectField field = type.field(indexed.get().field().parts().get(0)).orElseThrow();
                rows = store.findBy(type.name(), field.name(), indexed.get().value().text(), includeDeleted)
                        .stream().filter(where).toList();
            } else {
                rows = store.select(type.name(), includeDeleted, where);
            }
            if (!query.orderBy().isEmpty()) {
                rows = rows.stream().sorted(ordering(type, query.orderBy())).toList();
            }
            if (query.offset() != null && query.offset() > MAX_OFFSET) {
                throw new SObjectException(400, "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is " + MAX_OFFSET,
                        List.of());
            }
            int from = Math.min(rows.size(), query.offset() == null ? 0 : query.offset());
            int to = query.limit() == null ? rows.size() : (int) Math.min(rows.size(), (long) from + query.limit());
            return rows.subList(from, to);
        }

        private void checkSelect(SObjectType type, Query query) {
            boolean fieldsAllOrCustom = query.select().stream().anyMatch(i -> i instanceof FieldsFunction f
                    && !f.kind().equals("STANDARD"));
            if (fieldsAllOrCustom && (query.limit() == null || query.limit() > MAX_FIELDS_LIMIT)) {
                throw SoqlParser.error(soql, ((FieldsFunction) query.select().stream().filter(i -> i instanceof FieldsFunction)
                        .findFirst().orElseThrow()).position(), "MALFORMED_QUERY",
                        "The SOQL FIELDS function must have a LIMIT of at most " + MAX_FIELDS_LIMIT);
            }
            if (query.select().stream().anyMatch(i -> i instanceof CountAll) && query.select().size() > 1) {
                CountAll count = (CountAll) query.select().stream().filter(i -> i instanceof CountAll).findFirst().orElseThrow();
                throw SoqlParser.error(soql, count.position(), "MALFORMED_QUERY", "unexpected token: COUNT (COUNT() must be "
                        + "the only item of the field list)");
            }
            Set<String> seen = new HashSet<>();
            for (SelectItem item : query.select()) {
                if (item instanceof FieldPath path) {
                    resolve(type, path);
                    if (!seen.add(path.text().toLowerCase(Locale.ROOT))) {
                        throw SoqlParser.error(soql, path.position(), "MALFORMED_QUERY", "duplicate field selected: "
                                + path.text());
                    }
                } else if (item instanceof SubQuery sub) {
                    child(type, sub.query());
                }
            }
        }

        // ---- names

        /** The reference fields walked (Account.Owner.Name: AccountId, OwnerId) and the field at the end. */
        private record Resolved(List<SObjectField> hops, SObjectField field) {
        }

        private Resolved resolve(SObjectType type, FieldPath path) {
            List<String> parts = path.parts();
            if (parts.size() > 1 && parts.get(0).equalsIgnoreCase(type.name()) && type.parentRelationship(parts.get(0)).isEmpty()) {
                parts = parts.subList(1, parts.size());
            }
            List<SObjectField> hops = new ArrayList<>();
            SObjectType current = type;
            for (String relationship : parts.subList(0, parts.size() - 1)) {
                SObjectType from = current;
                SObjectField reference = from.parentRelationship(relationship).orElse(null);
                current = reference == null ? null : store.find(reference.referenceTo().get(0)).orElse(null);
                if (current == null) {
                    throw SoqlParser.error(soql, path.position(), "INVALID_FIELD", "Didn't understand relationship '"
                            + relationship + "' in field path. If you are attempting to use a custom relationship, be sure "
                            + "to append the '__r' after the custom relationship name. Please reference your WSDL or the "
                            + "describe call for the appropriate names.");
                }
                hops.add(reference);
            }
            String name = parts.get(parts.size() - 1);
            SObjectType owner = current;
            SObjectField field = owner.field(name).orElseThrow(() -> SoqlParser.error(soql, path.position(), "INVALID_FIELD",
                    "No such column '" + name + "' on entity '" + owner.name() + "'. If you are attempting to use a custom "
                            + "field, be sure to append the '__c' after the custom field name. Please reference your WSDL or "
                            + "the describe call for the appropriate names."));
            return new Resolved(List.copyOf(hops), field);
        }

        private Object valueOf(Map<String, Object> record, Resolved resolved) {
            Map<String, Object> current = record;
            for (SObjectField hop : resolved.hops()) {
                Object id = current.get(hop.name());
                if (id == null) {
                    return null;
                }
                current = store.get(hop.referenceTo().get(0), String.valueOf(id)).orElse(null);
                if (current == null) {
                    return null;
                }
            }
            return current.get(resolved.field().name());
        }

        private ChildQuery child(SObjectType parent, Query sub) {
            SObjectType.ChildRelationship relationship = parent.childRelationship(sub.from()).orElseThrow(() ->
                    SoqlParser.error(soql, sub.fromPosition(), "INVALID_TYPE", "Didn't understand relationship '"
                            + sub.from() + "' in FROM part of query call. If you are attempting to use a custom "
                            + "relationship, be sure to append the '__r' after the custom relationship name. Please "
                            + "reference your WSDL or the describe call for the appropriate names."));
            SObjectType childType = store.type(relationship.childSObject());
            if (sub.select().stream().anyMatch(i -> i instanceof SubQuery || i instanceof CountAll)) {
                throw SoqlParser.error(soql, sub.fromPosition(), "MALFORMED_QUERY", "unexpected token: ( (a subquery "
                        + "selects fields only)");
            }
            return new ChildQuery(relationship, childType);
        }

        private record ChildQuery(SObjectType.ChildRelationship relationship, SObjectType type) {
        }

        // ---- WHERE

        private Predicate<Map<String, Object>> compile(SObjectType type, Condition condition) {
            if (condition instanceof And and) {
                List<Predicate<Map<String, Object>>> terms = and.terms().stream().map(t -> compile(type, t)).toList();
                return r -> terms.stream().allMatch(t -> t.test(r));
            }
            if (condition instanceof Or or) {
                List<Predicate<Map<String, Object>>> terms = or.terms().stream().map(t -> compile(type, t)).toList();
                return r -> terms.stream().anyMatch(t -> t.test(r));
            }
            if (condition instanceof Not not) {
                return compile(type, not.term()).negate();
            }
            if (condition instanceof InList in) {
                Resolved resolved = filterable(type, in.field());
                List<Predicate<Object>> matches = in.values().stream()
                        .map(v -> test(resolved.field(), "=", v)).toList();
                Predicate<Map<String, Object>> any = r -> {
                    Object value = valueOf(r, resolved);
                    return matches.stream().anyMatch(m -> m.test(value));
                };
                return in.negated() ? any.negate() : any;
            }
            Comparison comparison = (Comparison) condition;
            Resolved resolved = filterable(type, comparison.field());
            Predicate<Object> test = test(resolved.field(), comparison.operator(), comparison.value());
            return r -> test.test(valueOf(r, resolved));
        }

        private Resolved filterable(SObjectType type, FieldPath path) {
            Resolved resolved = resolve(type, path);
            if (resolved.field().kind() == FieldType.ADDRESS) {
                throw SoqlParser.error(soql, path.position(), "INVALID_FIELD", "field '" + resolved.field().name()
                        + "' can not be filtered in query call");
            }
            return resolved;
        }

        /** A test of one field value against a literal, the literal checked against the field's type first. */
        private Predicate<Object> test(SObjectField field, String operator, Literal literal) {
            if (literal.kind() == LiteralKind.NULL) {
                // a checkbox is never null in an org: "= null" is "= false", "!= null" is "= true"
                boolean checkbox = field.kind() == FieldType.BOOLEAN;
                return switch (operator) {
                    case "=" -> v -> checkbox ? !Boolean.TRUE.equals(v) : v == null;
                    case "!=" -> v -> checkbox ? Boolean.TRUE.equals(v) : v != null;
                    default -> throw SoqlParser.error(soql, literal.position(), "MALFORMED_QUERY",
                            "unexpected token: null (only = and != compare with null)");
                };
            }
            if (operator.equals("LIKE")) {
                if (field.kind() != FieldType.TEXT || literal.kind() != LiteralKind.STRING) {
                    throw SoqlParser.error(soql, literal.position(), "INVALID_QUERY_FILTER_OPERATOR",
                            "invalid operator on " + field.type() + " field: LIKE");
                }
                Pattern pattern = like(literal.text());
                return v -> v != null && pattern.matcher(String.valueOf(v)).matches();
            }
            return switch (field.kind()) {
                case TEXT -> {
                    expect(field, literal, LiteralKind.STRING, "string");
                    String text = plain(literal.text());
                    yield v -> v != null && holds(operator, String.CASE_INSENSITIVE_ORDER.compare(String.valueOf(v), text));
                }
                case REFERENCE -> {
                    expect(field, literal, LiteralKind.STRING, "id");
                    String id = plain(literal.text());
                    if (!id.matches("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}")) {
                        throw SoqlParser.error(soql, literal.position(), "INVALID_QUERY_FILTER_OPERATOR",
                                "invalid ID field: " + id);
                    }
                    String key = id.substring(0, 15);
                    yield v -> v != null && holds(operator, String.valueOf(v).substring(0, Math.min(15,
                            String.valueOf(v).length())).compareTo(key));
                }
                case NUMBER -> {
                    expect(field, literal, LiteralKind.NUMBER, "double");
                    double number = Double.parseDouble(literal.text());
                    yield v -> v instanceof Number n && holds(operator, Double.compare(n.doubleValue(), number));
                }
                case BOOLEAN -> {
                    expect(field, literal, LiteralKind.BOOLEAN, "boolean");
                    boolean bool = Boolean.parseBoolean(literal.text().toLowerCase(Locale.ROOT));
                    // a checkbox never set reads as false, as an org stores it
                    yield v -> holds(operator, Boolean.compare(Boolean.TRUE.equals(v), bool));
                }
                case DATE -> dateTest(field, operator, literal, false);
                case DATETIME -> dateTest(field, operator, literal, true);
                case ADDRESS -> throw new IllegalStateException("compound fields are refused before");
            };
        }

        private Predicate<Object> dateTest(SObjectField field, String operator, Literal literal, boolean datetime) {
            LocalDate[] range;
            if (literal.kind() == LiteralKind.DATE_LITERAL) {
                range = DateLiterals.range(literal.text(), literal.n(), LocalDate.now(ZoneOffset.UTC));
            } else if (!datetime && literal.kind() == LiteralKind.DATE) {
                LocalDate day = LocalDate.parse(literal.text());
                range = new LocalDate[] {day, day.plusDays(1)};
            } else if (datetime && literal.kind() == LiteralKind.DATETIME) {
                Instant at = OffsetDateTime.parse(literal.text()).toInstant();
                return v -> v != null && holds(operator, toInstant(v).compareTo(at));
            } else {
                throw typeMismatch(field, literal, datetime ? "dateTime" : "date");
            }
            // a day or a period: = within, < before its start, > after its end
            return v -> {
                if (v == null) {
                    return false;
                }
                LocalDate day = datetime ? toInstant(v).atZone(ZoneOffset.UTC).toLocalDate() : LocalDate.parse(String.valueOf(v));
                boolean before = day.isBefore(range[0]);
                boolean after = !day.isBefore(range[1]);
                return switch (operator) {
                    case "=" -> !before && !after;
                    case "!=" -> before || after;
                    case "<" -> before;
                    case "<=" -> !after;
                    case ">" -> after;
                    default -> !before;
                };
            };
        }

        private void expect(SObjectField field, Literal literal, LiteralKind kind, String typeName) {
            if (literal.kind() != kind) {
                throw typeMismatch(field, literal, typeName);
            }
        }

        private SObjectException typeMismatch(SObjectField field, Literal literal, String typeName) {
            boolean quoted = typeName.equals("string") || typeName.equals("id");
            return SoqlParser.error(soql, literal.position(), "INVALID_FIELD", "value of filter criterion for field '"
                    + field.name() + "' must be of type " + typeName + " and should " + (quoted ? "" : "not ")
                    + "be enclosed in quotes");
        }

        /**
         * A top-level "Id = '...'" or "reference = '...'" (18 characters: the stored form) answered from the store's
         * index instead of a scan; text fields compare case-insensitively, so they are scanned.
         */
        private Optional<Comparison> indexedEquality(SObjectType type, Condition where) {
            List<Condition> terms = where instanceof And and ? and.terms() : where == null ? List.of() : List.of(where);
            for (Condition term : terms) {
                if (term instanceof Comparison c && c.operator().equals("=") && c.value().kind() == LiteralKind.STRING
                        && c.value().text().length() == 18 && c.field().parts().size() == 1) {
                    Optional<SObjectField> field = type.field(c.field().parts().get(0));
                    if (field.isPresent() && field.get().kind() == FieldType.REFERENCE
                            && store.indexed(type.name(), field.get().name())) {
                        return Optional.of(c);
                    }
                }
            }
            return Optional.empty();
        }

        // ---- ORDER BY

        private Comparator<Map<String, Object>> ordering(SObjectType type, List<Ordering> orderBy) {
            Comparator<Map<String, Object>> all = null;
            for (Ordering ordering : orderBy) {
                Resolved resolved = filterable(type, ordering.field());
                Comparator<Object> values = (a, b) -> compareValues(resolved.field(), a, b);
                if (ordering.descending()) {
                    values = values.reversed();
                }
                Comparator<Object> withNulls = ordering.nullsFirst() ? Comparator.nullsFirst(values) : Comparator.nullsLast(values);
                Comparator<Map<String, Object>> one = (a, b) -> withNulls.compare(valueOf(a, resolved), valueOf(b, resolved));
                all = all == null ? one : all.thenComparing(one);
            }
            return all;
        }

        private int compareValues(SObjectField field, Object a, Object b) {
            return switch (field.kind()) {
                case NUMBER -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
                case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
                case DATETIME -> toInstant(a).compareTo(toInstant(b));
                case TEXT -> String.CASE_INSENSITIVE_ORDER.compare(String.valueOf(a), String.valueOf(b));
                default -> String.valueOf(a).compareTo(String.valueOf(b));
            };
        }

        // ---- output

        List<Map<String, Object>> output(SObjectType type, Query query, List<Map<String, Object>> rows) {
            List<Map<String, Object>> out = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                Map<String, Object> record = attributes(type, row);
                for (SelectItem item : query.select()) {
                    if (item instanceof FieldPath path) {
                        put(record, row, resolve(type, path));
                    } else if (item instanceof FieldsFunction fields) {
                        type.describedFields().stream().filter(f -> fields.kind().equals("ALL")
                                || fields.kind().equals("CUSTOM") == f.custom())
                                .forEach(f -> record.put(f.name(), rest(type, f, row)));
                    } else if (item instanceof SubQuery sub) {
                        ChildQuery child = child(type, sub.query());
                        List<Map<String, Object>> children = rows(child.type(), sub.query(), child.relationship().field(),
                                (String) row.get("Id"));
                        record.put(child.relationship().relationshipName(), children.isEmpty() ? null : Map.of(
                                "totalSize", children.size(), "done", true,
                                "records", output(child.type(), sub.query(), children)));
                    }
                }
                out.add(record);
            }
            return out;
        }

        /** A selected field; a parent's field lands in the parent's nested record (null when there is no parent). */
        private void put(Map<String, Object> record, Map<String, Object> row, Resolved resolved) {
            Map<String, Object> target = record;
            Map<String, Object> current = row;
            SObjectType currentType = null;
            for (SObjectField hop : resolved.hops()) {
                String name = hop.relationshipName();
                Object id = current.get(hop.name());
                SObjectType parentType = store.type(hop.referenceTo().get(0));
                Map<String, Object> parent = id == null ? null : store.get(parentType.name(), String.valueOf(id)).orElse(null);
                if (parent == null) {
                    if (!target.containsKey(name)) {
                        target.put(name, null);
                    }
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) target.get(name);
                if (nested == null) {
                    nested = attributes(parentType, parent);
                    target.put(name, nested);
                }
                target = nested;
                current = parent;
                currentType = parentType;
            }
            SObjectType owner = currentType == null ? store.type(String.valueOf(((Map<?, ?>) record.get("attributes")).get("type")))
                    : currentType;
            target.put(resolved.field().name(), rest(owner, resolved.field(), current));
        }

        private Map<String, Object> attributes(SObjectType type, Map<String, Object> row) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("attributes", Map.of("type", type.name(), "url", "/services/data/" + apiVersion + "/sobjects/"
                    + type.name() + "/" + row.get("Id")));
            return record;
        }
    }

    /** A stored value as REST answers it: typed by the field's describe type; an address as its compound object. */
    static Object rest(SObjectType type, SObjectField field, Map<String, Object> row) {
        if (field.kind() == FieldType.ADDRESS) {
            Map<String, String> components = type.addressFields().get(field.name());
            if (components.values().stream().allMatch(f -> row.get(f) == null)) {
                return null;
            }
            Map<String, Object> address = new LinkedHashMap<>();
            SObjectType.ADDRESS_COMPONENTS.forEach(c -> address.put(Character.toLowerCase(c.charAt(0)) + c.substring(1),
                    components.containsKey(c) ? row.get(components.get(c)) : null));
            return address;
        }
        Object value = row.get(field.name());
        if (value instanceof Instant instant) {
            return SALESFORCE_TIME.format(instant);
        }
        if (value instanceof Number number && field.type().equals("int")) {
            return number.longValue();
        }
        return value;
    }

    private static boolean holds(String operator, int comparison) {
        return switch (operator) {
            case "=" -> comparison == 0;
            case "!=" -> comparison != 0;
            case "<" -> comparison < 0;
            case "<=" -> comparison <= 0;
            case ">" -> comparison > 0;
            default -> comparison >= 0;
        };
    }

    private static Instant toInstant(Object value) {
        return value instanceof Instant instant ? instant : OffsetDateTime.parse(String.valueOf(value)).toInstant();
    }

    /** A string literal outside LIKE: escaped wildcards are the characters themselves. */
    private static String plain(String text) {
        return text.replace(SoqlParser.ESCAPED_PERCENT, '%').replace(SoqlParser.ESCAPED_UNDERSCORE, '_');
    }

    /** LIKE: % any characters, _ one character, \% and \_ themselves; case-insensitive, the whole value. */
    private static Pattern like(String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '%' -> regex.append(".*");
                case '_' -> regex.append('.');
                case SoqlParser.ESCAPED_PERCENT -> regex.append('%');
                case SoqlParser.ESCAPED_UNDERSCORE -> regex.append('_');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /** Salesforce's relative date literals as [first day, day after the last) in UTC. */
    static final class DateLiterals {
        private DateLiterals() {
        }

        static LocalDate[] range(String literal, int n, LocalDate today) {
            LocalDate week = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
            LocalDate month = today.withDayOfMonth(1);
            LocalDate quarter = month.withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
            LocalDate year = today.withDayOfYear(1);
            return switch (literal) {
                case "TODAY" -> days(today, 1);
                case "YESTERDAY" -> days(today.minusDays(1), 1);
                case "TOMORROW" -> days(today.plusDays(1), 1);
                case "THIS_WEEK" -> days(week, 7);
                case "LAST_WEEK" -> days(week.minusWeeks(1), 7);
                case "NEXT_WEEK" -> days(week.plusWeeks(1), 7);
                case "THIS_MONTH" -> new LocalDate[] {month, month.plusMonths(1)};
                case "LAST_MONTH" -> new LocalDate[] {month.minusMonths(1), month};
                case "NEXT_MONTH" -> new LocalDate[] {month.plusMonths(1), month.plusMonths(2)};
                case "THIS_QUARTER" -> new LocalDate[] {quarter, quarter.plusMonths(3)};
                case "LAST_QUARTER" -> new LocalDate[] {quarter.minusMonths(3), quarter};
                case "NEXT_QUARTER" -> new LocalDate[] {quarter.plusMonths(3), quarter.plusMonths(6)};
                case "THIS_YEAR" -> new LocalDate[] {year, year.plusYears(1)};
                case "LAST_YEAR" -> new LocalDate[] {year.minusYears(1), year};
                case "NEXT_YEAR" -> new LocalDate[] {year.plusYears(1), year.plusYears(2)};
                // LAST_N_DAYS:n is today and the n days before it; NEXT_N_DAYS:n the n days after today
                case "LAST_90_DAYS" -> new LocalDate[] {today.minusDays(90), today.plusDays(1)};
                case "NEXT_90_DAYS" -> days(today.plusDays(1), 90);
                case "LAST_N_DAYS" -> new LocalDate[] {today.minusDays(n), today.plusDays(1)};
                case "NEXT_N_DAYS" -> days(today.plusDays(1), n);
                default -> throw new IllegalArgumentException("no date literal " + literal);
            };
        }

        private static LocalDate[] days(LocalDate first, int count) {
            return new LocalDate[] {first, first.plusDays(count)};
        }
    }
}
