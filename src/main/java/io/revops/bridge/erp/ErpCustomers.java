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
 */
@ApplicationScoped
@Named("erpCustomers")
public class ErpCustomers {
    private static final List<String> PARTY_FIELDS = List.of("name", "code", "active", "addresses");

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
            Optional<Integer> existing = partyIdOf(key);
            if (existing.isPresent()) {
                write(existing.get(), party);
                return read(existing.get(), key, false);
            }
            if (party.get("name") == null) {
                throw new UnknownAccountException("account " + key
                        + " is not in the ERP yet and this change does not carry its name; resync the account from Salesforce");
            }
            return read(create(key, party), key, true);
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
        return partyIdOf(key).map(id -> read(id, key, false));
    }

    private Optional<Integer> partyIdOf(String key) {
        JsonNode ids = tryton.callWithContext("model.party.party.search", TrytonClient.INACTIVE_TOO,
                List.of(List.of("identifiers.code", "=", key)), 0, null, null);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0).asInt());
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

    private void write(int partyId, Map<String, Object> party) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (party.containsKey("name") && party.get("name") != null) {
            values.put("name", party.get("name"));
        }
        if (party.get("active") instanceof Boolean active) {
            values.put("active", active);
        }
        Map<String, Object> address = addressValues(party);
        if (address != null) {
            JsonNode current = tryton.callWithContext("model.party.party.read", TrytonClient.INACTIVE_TOO, List.of(partyId), List.of("addresses"));
            JsonNode addresses = current.path(0).path("addresses");
            values.put("addresses", addresses.isEmpty()
                    ? List.of(List.of("create", List.of(address)))
                    : List.of(List.of("write", List.of(addresses.get(0).asInt()), address)));
        }
        if (!values.isEmpty()) {
            tryton.callWithContext("model.party.party.write", TrytonClient.INACTIVE_TOO, List.of(partyId), values);
        }
    }

    private ErpCustomer read(int partyId, String key, boolean created) {
        JsonNode party = tryton.callWithContext("model.party.party.read", TrytonClient.INACTIVE_TOO, List.of(partyId), PARTY_FIELDS).get(0);
        return new ErpCustomer(partyId, key, party.path("code").asText(), created);
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
