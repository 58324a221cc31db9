package io.revops.bridge.erp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.UnknownAccountException;

/**
 * ERP system API for customers: Tryton parties, created or updated on our key. Our key lives in a party
 * identifier (so Tryton keeps assigning its own customer number, the party code) and every write first looks the
 * party up by it, inactive ones included, so a retry or a replay never creates a second party. Writes of one key
 * are serialised in this instance; across instances the Kafka partition (keyed by account) gives one writer per key.
 * <p>
 * Round trips: the look-up is a search_read that brings the party's customer number and addresses along, so an
 * update is two calls (look-up, write) and a creation three (look-up, create, read of the number Tryton assigned).
 */
@ApplicationScoped
@Named("erpCustomers")
public class ErpCustomers {
    /** What a write needs to know of a party found on our key: its customer number and the address to update. */
    private static final List<String> FOUND_FIELDS = List.of("code", "addresses");

    private static final int LOCK_STRIPES = 64;

    private final TrytonClient tryton;
    private final Object[] locks = new Object[LOCK_STRIPES];

    @Inject
    public ErpCustomers(TrytonClient tryton) {
        this.tryton = tryton;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * @param party only what to write: key (mandatory), name, active, address {street, city, postalCode}; absent
     *              values are left as they are
     */
    public ErpCustomer upsert(Map<String, Object> party) {
        String key = (String) party.get("key");
        if (key == null || key.isBlank()) {
            throw new BusinessException("invalid-event", "ERP customer without key");
        }
        synchronized (locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
            Optional<JsonNode> existing = partyOf(key);
            if (existing.isPresent()) {
                int partyId = existing.get().path("id").asInt();
                write(partyId, existing.get().path("addresses"), party);
                return new ErpCustomer(partyId, key, existing.get().path("code").asText(), false);
            }
            if (party.get("name") == null) {
                throw new UnknownAccountException("account " + key
                        + " is not in the ERP yet and this change does not carry its name; resync the account from Salesforce");
            }
            int created = create(key, party);
            return new ErpCustomer(created, key, customerNumberOf(created), true);
        }
    }

    /**
     * {@link #upsert}, but a change that cannot create an account the ERP does not hold (an update: no name) is no
     * failure: empty, so the route can resync the account from Salesforce.
     */
    public Optional<ErpCustomer> upsertIfKnown(Map<String, Object> party) {
        try {
            return Optional.of(upsert(party));
        } catch (UnknownAccountException unknown) {
            return Optional.empty();
        }
    }

    public Optional<ErpCustomer> find(String key) {
        return partyOf(key).map(found -> new ErpCustomer(found.path("id").asInt(), key, found.path("code").asText(), false));
    }

    /** The party holding our key, inactive ones included, with {@link #FOUND_FIELDS}: one round trip. */
    private Optional<JsonNode> partyOf(String key) {
        JsonNode found = tryton.callWithContext("model.party.party.search_read", TrytonClient.INACTIVE_TOO,
                List.of(List.of("identifiers.code", "=", key)), 0, 1, null, FOUND_FIELDS);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private int create(String key, Map<String, Object> party) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", party.get("name"));
        values.put("identifiers", List.of(List.of("create", List.of(Map.of("code", key)))));
        Map<String, Object> address = addressValues(party);
        values.put("addresses", List.of(List.of("create", List.of(address == null ? Map.of() : address))));
        if (Boolean.FALSE.equals(party.get("active"))) {
            values.put("active", false);
        }
        return tryton.call("model.party.party.create", List.of(values)).get(0).asInt();
    }

    /** @param addresses the party's address ids, as the look-up read them */
    private void write(int partyId, JsonNode addresses, Map<String, Object> party) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (party.containsKey("name") && party.get("name") != null) {
            values.put("name", party.get("name"));
        }
        if (party.get("active") instanceof Boolean active) {
            values.put("active", active);
        }
        Map<String, Object> address = addressValues(party);
        if (address != null) {
            values.put("addresses", addresses.isEmpty()
                    ? List.of(List.of("create", List.of(address)))
                    : List.of(List.of("write", List.of(addresses.get(0).asInt()), address)));
        }
        if (!values.isEmpty()) {
            tryton.callWithContext("model.party.party.write", TrytonClient.INACTIVE_TOO, List.of(partyId), values);
        }
    }

    /** The customer number Tryton assigned to a party just created (create answers only ids). */
    private String customerNumberOf(int partyId) {
        return tryton.callWithContext("model.party.party.read", TrytonClient.INACTIVE_TOO, List.of(partyId), List.of("code"))
                .get(0).path("code").asText();
    }

    /** Tryton 6.0 address fields; a null clears the field. Countries need a lookup of Tryton's ids: not mapped yet. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> addressValues(Map<String, Object> party) {
        if (!(party.get("address") instanceof Map<?, ?> address)) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> given = (Map<String, Object>) address;
        if (given.containsKey("street")) {
            values.put("street", given.get("street"));
        }
        if (given.containsKey("city")) {
            values.put("city", given.get("city"));
        }
        if (given.containsKey("postalCode")) {
            values.put("postal_code", given.get("postalCode"));
        }
        return values.isEmpty() ? null : values;
    }
}
