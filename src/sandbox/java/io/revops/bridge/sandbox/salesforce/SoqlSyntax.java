package io.revops.bridge.sandbox.salesforce;

import java.util.List;

/**
 * The syntax tree of a SOQL query as {@link SoqlParser} reads it. Positions are character offsets into the query,
 * for Salesforce's "ERROR at Row:r:Column:c" in error messages.
 */
final class SoqlSyntax {
    private SoqlSyntax() {
    }

    record Query(List<SelectItem> select, String from, int fromPosition, Condition where, List<Ordering> orderBy,
            Integer limit, Integer offset) {

        boolean isCount() {
            return select.size() == 1 && select.get(0) instanceof CountAll;
        }
    }

    sealed interface SelectItem permits FieldPath, FieldsFunction, SubQuery, CountAll {
    }

    /** Name, or Account.Name: relationship names and then a field, in the query's letter case. */
    record FieldPath(List<String> parts, int position) implements SelectItem {
        String text() {
            return String.join(".", parts);
        }
    }

    /** FIELDS(STANDARD|CUSTOM|ALL). */
    record FieldsFunction(String kind, int position) implements SelectItem {
    }

    /** (SELECT ... FROM ChildRelationship ...) */
    record SubQuery(Query query) implements SelectItem {
    }

    /** COUNT() */
    record CountAll(int position) implements SelectItem {
    }

    sealed interface Condition permits And, Or, Not, Comparison, InList {
    }

    record And(List<Condition> terms) implements Condition {
    }

    record Or(List<Condition> terms) implements Condition {
    }

    record Not(Condition term) implements Condition {
    }

    /** field op value, op one of = != < <= > >= LIKE (<> is read as !=). */
    record Comparison(FieldPath field, String operator, Literal value) implements Condition {
    }

    record InList(FieldPath field, boolean negated, List<Literal> values) implements Condition {
    }

    enum LiteralKind { STRING, NUMBER, BOOLEAN, NULL, DATE, DATETIME, DATE_LITERAL }

    /** A value; for DATE_LITERAL, text is the literal's name (LAST_N_DAYS) and n its parameter. */
    record Literal(LiteralKind kind, String text, int n, int position) {
    }

    record Ordering(FieldPath field, boolean descending, boolean nullsFirst) {
    }
}
