package io.revops.bridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * The SOQL the runtime needs: {@code SELECT f1, f2 FROM Object [WHERE Field = 'value' [AND ...]]
 * [ORDER BY Field [ASC|DESC]] [LIMIT n]}. Anything else is a MALFORMED_QUERY, as Salesforce would answer.
 */
record SoqlQuery(List<String> fields, String object, Map<String, String> equals, String orderBy, boolean descending,
        Integer limit) {

    private static final Pattern SOQL = Pattern.compile(
            "(?i)^\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s+BY\\s+(\\w+)(?:\\s+(ASC|DESC))?)?"
                    + "(?:\\s+LIMIT\\s+(\\d+))?\\s*$");
    private static final Pattern CONDITION = Pattern.compile("(?i)^\\s*(\\w+)\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*$");

    static SoqlQuery parse(String soql) {
        Matcher m = soql == null ? null : SOQL.matcher(soql);
        if (m == null || !m.matches()) {
            throw new SObjectException(400, "MALFORMED_QUERY", "unexpected token in query: " + soql, List.of());
        }
        List<String> fields = new ArrayList<>();
        for (String field : m.group(1).split(",")) {
            fields.add(field.trim());
        }
        Map<String, String> equals = new LinkedHashMap<>();
        if (m.group(3) != null) {
            for (String condition : m.group(3).split("(?i)\\s+AND\\s+")) {
                Matcher c = CONDITION.matcher(condition);
                if (!c.matches()) {
                    throw new SObjectException(400, "MALFORMED_QUERY", "unsupported condition: " + condition, List.of());
                }
                equals.put(c.group(1), c.group(2).replace("\\'", "'"));
            }
        }
        return new SoqlQuery(fields, m.group(2), equals, m.group(4), "DESC".equalsIgnoreCase(m.group(5)),
                m.group(6) == null ? null : Integer.valueOf(m.group(6)));
    }

    List<Map<String, Object>> run(List<Map<String, Object>> records) {
        var stream = records.stream()
                .filter(r -> equals.entrySet().stream().allMatch(e -> e.getValue().equals(String.valueOf(r.get(e.getKey())))));
        if (orderBy != null) {
            Comparator<Map<String, Object>> order = Comparator.comparing(r -> String.valueOf(r.get(orderBy)));
            stream = stream.sorted(descending ? order.reversed() : order);
        }
        if (limit != null) {
            stream = stream.limit(limit);
        }
        return stream.toList();
    }
}
