package io.revops.bridge.sandbox.tryton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.revops.bridge.sandbox.tryton.TrytonEmulator.TrytonError;

/**
 * One Tryton model's records: ids from a sequence, search with domain, order, offset and limit, and read of
 * stored or computed fields ({@code field} resolves both, dotted names included). Not synchronized: the emulator
 * serialises calls like one database transaction at a time.
 */
final class Table {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String description;
    private final Map<Integer, Map<String, Object>> rows = new TreeMap<>();
    private final BiFunction<Map<String, Object>, String, Object> field;
    private int nextId = 1;

    /**
     * @param description the model's name as Tryton's messages show it (e.g. "Sale")
     * @param field       a record's value of a field: stored, computed or dotted
     */
    Table(String description, BiFunction<Map<String, Object>, String, Object> field) {
        this.description = description;
        this.field = field;
    }

    /** A stored field; one the model does not have fails as Tryton fails on it (a KeyError with the name). */
    static Object stored(Map<String, Object> row, String name) {
        if (!row.containsKey(name)) {
            throw TrytonError.internal("'" + name + "'");
        }
        return row.get(name);
    }

    Map<String, Object> insert(Map<String, Object> row) {
        int id = nextId++;
        row.put("id", id);
        rows.put(id, row);
        return row;
    }

    Map<String, Object> get(int id) {
        Map<String, Object> row = rows.get(id);
        if (row == null) {
            throw new TrytonError("UserError", "You are trying to read records \"" + id + "\" of \"" + description
                    + "\" that don't exist anymore.");
        }
        return row;
    }

    List<Map<String, Object>> rows() {
        return new ArrayList<>(rows.values());
    }

    /** model.X.search [domain, offset, limit, order]. */
    List<Integer> search(JsonNode params) {
        JsonNode domain = params.path(0);
        int offset = params.path(1).asInt(0);
        Integer limit = params.path(2).isNumber() ? params.path(2).asInt() : null;
        List<Map<String, Object>> hits = new ArrayList<>(rows.values().stream()
                .filter(row -> Domain.matches(domain, name -> field.apply(row, name))).toList());
        hits.sort(order(params.path(3)));
        return hits.stream().skip(offset).limit(limit == null ? Long.MAX_VALUE : limit)
                .map(row -> (Integer) row.get("id")).toList();
    }

    /**
     * model.X.read [ids, fields]. Tryton does not answer in the order of the ids asked for (it reads in the model's
     * order): the emulator answers newest first, so a client relying on the order fails here too.
     */
    List<Map<String, Object>> read(JsonNode ids, JsonNode fields) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (JsonNode id : ids) {
            Map<String, Object> row = get(id.asInt());
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("id", id.asInt());
            fields.forEach(name -> values.put(name.asText(), TrytonJson.json(field.apply(row, name.asText()))));
            result.add(values);
        }
        result.sort(Comparator.comparing(row -> -(Integer) row.get("id")));
        return result;
    }

    /** model.X.search_read [domain, offset, limit, order, fields]: unlike read, in the order searched for. */
    List<Map<String, Object>> searchRead(JsonNode params) {
        List<Integer> ids = search(params);
        List<Map<String, Object>> rows = new ArrayList<>(read(JSON.valueToTree(ids), params.path(4)));
        rows.sort(Comparator.comparing(row -> ids.indexOf((Integer) row.get("id"))));
        return rows;
    }

    /** [[field, "ASC"|"DESC"], ...], then by id; nulls last, as PostgreSQL sorts them ascending. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Comparator<Map<String, Object>> order(JsonNode order) {
        Comparator<Map<String, Object>> comparator = (a, b) -> 0;
        for (JsonNode clause : order) {
            String name = clause.path(0).asText();
            Comparator<Map<String, Object>> byField = Comparator.comparing(row -> (Comparable) field.apply(row, name),
                    Comparator.nullsLast(Comparator.naturalOrder()));
            comparator = comparator.thenComparing(clause.path(1).asText("ASC").startsWith("DESC")
                    ? byField.reversed() : byField);
        }
        return comparator.thenComparing(row -> (Integer) row.get("id"));
    }
}
