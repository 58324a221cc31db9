package io.revops.bridge.sandbox.tryton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.tryton.TrytonEmulator.TrytonError;

/**
 * party.party with its identifiers (party.identifier) and addresses, as Tryton stores them; synchronized like
 * one database. A party's "identifiers" and "addresses" read as ids, as in Tryton. Party codes and identifier codes
 * are indexed, as Tryton's database indexes them: the ERP adapter's search by identifier code does not scan every
 * party (it did, and grew with every account a benchmark created).
 */
final class PartyStore {
    private final Map<Integer, Map<String, Object>> parties = new TreeMap<>();
    private final Map<Integer, Map<String, Object>> addresses = new TreeMap<>();
    private final Map<Integer, Map<String, Object>> identifiers = new TreeMap<>();
    /** party code (unique) -> party id */
    private final Map<String, Integer> partyByCode = new HashMap<>();
    /** identifier code -> ids of the parties holding it, in id order (identifiers are only ever added here) */
    private final Map<String, NavigableSet<Integer>> partiesByIdentifierCode = new HashMap<>();
    private int nextIdentifierId = 1;
    private int nextPartyId = 1;
    private int nextAddressId = 1;
    private int partySequence = 1;

    synchronized List<Integer> search(JsonNode domain, boolean activeOnly) {
        validate(domain);
        List<Integer> ids = new ArrayList<>();
        for (int id : candidates(domain)) {
            Map<String, Object> party = parties.get(id);
            if ((!activeOnly || Boolean.TRUE.equals(party.get("active"))) && matches(party, domain)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The ids an equality on an indexed field narrows the search to (in id order), else every party's. */
    private Iterable<Integer> candidates(JsonNode domain) {
        for (JsonNode clause : domain) {
            String value = clause.path(2).asText();
            switch (clause.path(0).asText()) {
                case "identifiers.code" -> {
                    return partiesByIdentifierCode.getOrDefault(value, new TreeSet<>());
                }
                case "code" -> {
                    Integer id = partyByCode.get(value);
                    return id == null ? List.of() : List.of(id);
                }
                default -> { }
            }
        }
        return parties.keySet();
    }

    synchronized List<Map<String, Object>> read(JsonNode ids, JsonNode fields) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode id : ids) {
            rows.add(row(id.asInt(), fields));
        }
        return rows;
    }

    private Map<String, Object> row(int id, JsonNode fields) {
        Map<String, Object> party = parties.get(id);
        if (party == null) {
            throw new TrytonError("UserError", "You are trying to read records \"" + id
                    + "\" of \"Party\" that don't exist anymore.");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        fields.forEach(f -> row.put(f.asText(), party.get(f.asText())));
        return row;
    }

    /**
     * party.party search_read [domain, offset, limit, order, fields]: the parties search finds (in id order, as search
     * answers here), each read with its id; the ERP adapter finds a party and its customer number in one call.
     */
    synchronized List<Map<String, Object>> searchRead(JsonNode params, boolean activeOnly) {
        int offset = params.path(1).asInt(0);
        long limit = params.path(2).isNumber() ? params.path(2).asLong() : Long.MAX_VALUE;
        return search(params.path(0), activeOnly).stream().skip(offset).limit(limit).map(id -> row(id, params.path(4))).toList();
    }

    synchronized List<Map<String, Object>> readAddresses(JsonNode ids, JsonNode fields) {
        return read(addresses, ids, fields);
    }

    synchronized List<Map<String, Object>> readIdentifiers(JsonNode ids, JsonNode fields) {
        return read(identifiers, ids, fields);
    }

    /** read(ids, fields) of a party's addresses or identifiers: a row per id, null fields for an id not held. */
    private static List<Map<String, Object>> read(Map<Integer, Map<String, Object>> records, JsonNode ids, JsonNode fields) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode id : ids) {
            Map<String, Object> record = records.get(id.asInt());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id.asInt());
            fields.forEach(f -> row.put(f.asText(), record == null ? null : record.get(f.asText())));
            rows.add(row);
        }
        return rows;
    }

    /**
     * party.identifier search_read [domain, offset, limit, order, fields]: the identifiers matching the domain (fields
     * id, code, type, party), in id order; the reconciliation pages our keys with it.
     */
    synchronized List<Map<String, Object>> searchReadIdentifiers(JsonNode params) {
        int offset = params.path(1).asInt(0);
        long limit = params.path(2).isNumber() ? params.path(2).asLong() : Long.MAX_VALUE;
        List<Map<String, Object>> rows = new ArrayList<>();
        identifiers.forEach((id, identifier) -> {
            Map<String, Object> row = new LinkedHashMap<>(identifier);
            row.put("id", id);
            if (Domain.matches(params.path(0), name -> {
                if (!row.containsKey(name)) {
                    throw TrytonError.internal("'" + name + "'");
                }
                return row.get(name);
            })) {
                rows.add(row);
            }
        });
        return rows.stream().skip(offset).limit(limit).map(row -> {
            Map<String, Object> selected = new LinkedHashMap<>();
            selected.put("id", row.get("id"));
            params.path(4).forEach(f -> selected.put(f.asText(), row.get(f.asText())));
            return selected;
        }).toList();
    }

    /** Emulator only: the party behind {@code partyId} gets a second identifier {@code code}, as a user could add it. */
    @SuppressWarnings("unchecked")
    synchronized void addIdentifier(int partyId, String code) {
        int id = nextIdentifierId++;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("party", partyId);
        row.put("code", code);
        row.put("type", null);
        identifiers.put(id, row);
        indexIdentifier(code, partyId);
        ((List<Integer>) parties.get(partyId).get("identifiers")).add(id);
    }

    /** The party carrying this identifier code, for the emulator's own hooks. */
    synchronized Map<String, Object> withIdentifier(String code) {
        NavigableSet<Integer> ids = partiesByIdentifierCode.get(code);
        if (ids == null) {
            throw new IllegalArgumentException("no party has the identifier " + code);
        }
        Map<String, Object> copy = new LinkedHashMap<>(parties.get(ids.first()));
        copy.put("id", ids.first());
        return copy;
    }

    synchronized Map<String, Object> party(int id) {
        return parties.get(id);
    }

    private List<String> codes(Map<String, Object> party) {
        return ((List<?>) party.get("identifiers")).stream()
                .map(id -> (String) identifiers.get((Integer) id).get("code")).toList();
    }

    synchronized List<Integer> create(JsonNode valuesList) {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode values : valuesList) {
            String code = values.hasNonNull("code") ? values.get("code").asText() : String.valueOf(partySequence++);
            if (partyByCode.containsKey(code)) {
                throw new TrytonError("SQLConstraintError", "The code on party must be unique.");
            }
            int id = nextPartyId++;
            partyByCode.put(code, id);
            Map<String, Object> party = new LinkedHashMap<>();
            party.put("name", values.hasNonNull("name") ? values.get("name").asText() : null);
            party.put("code", code);
            party.put("active", values.path("active").asBoolean(true));
            party.put("identifiers", new ArrayList<Integer>());
            party.put("addresses", new ArrayList<Integer>());
            parties.put(id, party);
            apply(id, party, values);
            ids.add(id);
        }
        return ids;
    }

    synchronized void write(JsonNode ids, JsonNode values) {
        for (JsonNode id : ids) {
            Map<String, Object> party = parties.get(id.asInt());
            if (party == null) {
                throw new TrytonError("UserError", "You are trying to write on records \"" + id.asInt()
                        + "\" of \"Party\" that don't exist anymore.");
            }
            if (values.has("name")) {
                party.put("name", values.hasNonNull("name") ? values.get("name").asText() : null);
            }
            if (values.has("active")) {
                party.put("active", values.get("active").asBoolean());
            }
            apply(id.asInt(), party, values);
        }
    }

    /** The x2many actions: [["create", [values...]], ["write", [ids], values]]. */
    @SuppressWarnings("unchecked")
    private void apply(int partyId, Map<String, Object> party, JsonNode values) {
        for (JsonNode action : values.path("identifiers")) {
            if (action.path(0).asText().equals("create")) {
                action.path(1).forEach(identifier -> {
                    int id = nextIdentifierId++;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("party", partyId);
                    row.put("code", identifier.path("code").asText());
                    row.put("type", identifier.hasNonNull("type") ? identifier.get("type").asText() : null);
                    identifiers.put(id, row);
                    indexIdentifier((String) row.get("code"), partyId);
                    ((List<Integer>) party.get("identifiers")).add(id);
                });
            }
        }
        for (JsonNode action : values.path("addresses")) {
            switch (action.path(0).asText()) {
                case "create" -> action.path(1).forEach(address -> {
                    int id = nextAddressId++;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("party", partyId);
                    copyAddress(address, row);
                    addresses.put(id, row);
                    ((List<Integer>) party.get("addresses")).add(id);
                });
                case "write" -> action.path(1).forEach(id -> copyAddress(action.path(2), addresses.get(id.asInt())));
                default -> throw new TrytonError("UserError", "unsupported x2many action " + action.path(0).asText());
            }
        }
    }

    private void indexIdentifier(String code, int partyId) {
        partiesByIdentifierCode.computeIfAbsent(code, c -> new TreeSet<>()).add(partyId);
    }

    private static void copyAddress(JsonNode from, Map<String, Object> to) {
        for (String field : List.of("street", "city", "postal_code", "name")) {
            if (from.has(field)) {
                to.put(field, from.get(field).isNull() ? null : from.get(field).asText());
            }
        }
    }

    /** Refuses what the emulator does not search by, whatever the parties: Tryton checks a domain before running it. */
    private static void validate(JsonNode domain) {
        for (JsonNode clause : domain) {
            String operator = clause.path(1).asText();
            if (!operator.equals("=")) {
                throw new TrytonError("UserError", "operator " + operator + " is not emulated");
            }
            String field = clause.path(0).asText();
            if (!List.of("identifiers.code", "code", "name").contains(field)) {
                throw new TrytonError("UserError", "search on " + field + " is not emulated");
            }
        }
    }

    private boolean matches(Map<String, Object> party, JsonNode domain) {
        for (JsonNode clause : domain) {
            String field = clause.path(0).asText();
            String value = clause.path(2).asText();
            boolean hit = field.equals("identifiers.code") ? codes(party).contains(value) : value.equals(party.get(field));
            if (!hit) {
                return false;
            }
        }
        return true;
    }

    synchronized List<Map<String, Object>> snapshot() {
        List<Map<String, Object>> all = new ArrayList<>();
        parties.forEach((id, party) -> {
            Map<String, Object> copy = new LinkedHashMap<>(party);
            copy.put("id", id);
            copy.put("identifiers", codes(party));
            List<Map<String, Object>> partyAddresses = new ArrayList<>();
            for (Object addressId : (List<?>) party.get("addresses")) {
                partyAddresses.add(new LinkedHashMap<>(addresses.get((Integer) addressId)));
            }
            copy.put("addresses", partyAddresses);
            all.add(copy);
        });
        return all;
    }
}
