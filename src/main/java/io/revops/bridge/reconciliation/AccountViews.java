package io.revops.bridge.reconciliation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.mapping.ChangeSet;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.mapping.Mappings;
import io.revops.bridge.mapping.Ownership;
import io.revops.bridge.salesforce.AccountRecords;

/**
 * An account as each system should hold it and as it does, in the same flat shape, so they compare field by field.
 * What a target should hold is the Salesforce account put through what the routes apply: ownership.json (only what
 * Salesforce owns and the target accepts), then the target's mapping (erp/account-to-party,
 * billing/account-to-killbill-account). Editing a mapping changes what is compared, as it changes what is written.
 */
@ApplicationScoped
class AccountViews {
    static final String SALESFORCE_SOURCE = "/salesforce/data/AccountChangeEvent";
    static final String ERP_SOURCE = "/erp/tryton/party";
    /** The Salesforce fields of a canonical account, as SOQL reads them. */
    static final String SOQL_FIELDS = AccountRecords.FIELDS + ", LastModifiedDate";

    /** Mapped field -> canonical attribute, for the drift's field; other fields are named as they are. */
    private static final Map<String, String> CANONICAL = Map.of("address.street", "billingAddress.street",
            "address.city", "billingAddress.city", "address.postalCode", "billingAddress.postalCode",
            "address1", "billingAddress.street", "city", "billingAddress.city", "postalCode", "billingAddress.postalCode",
            "state", "billingAddress.state", "country", "billingAddress.country");
    /** The mapped fields that are our key or a lifecycle flag, not attributes to compare. */
    private static final Set<String> NOT_COMPARED = Set.of("key", "externalKey", "active");
    /**
     * Fields a route clears when Salesforce clears them (the ERP party's address lines). Elsewhere an empty value in
     * Salesforce leaves the target's as it is (Kill Bill takes no nulls, a party keeps its name), so it is no drift.
     */
    private static final Map<String, Set<String>> CLEARED_BY_ROUTE = Map.of("erp",
            Set.of("address.street", "address.city", "address.postalCode"), "billing", Set.of());
    private static final Map<String, String> MAPPING = Map.of("erp", "erp/account-to-party",
            "billing", "billing/account-to-killbill-account");

    private final Ownership ownership;
    private final Mappings mappings;
    private final Json json;

    @Inject
    AccountViews(Ownership ownership, Mappings mappings, Json json) {
        this.ownership = ownership;
        this.mappings = mappings;
        this.json = json;
    }

    /** A Salesforce Account record (SOQL_FIELDS) as the canonical account v1 of its full state. */
    static Map<String, Object> canonical(Map<String, Object> record) {
        return AccountRecords.canonical(record);
    }

    /** What {@code target} (erp or billing) should hold for the account, flat: {"name": ..., "address.city": ...}. */
    Map<String, Object> expected(Map<String, Object> canonical, String target) {
        ChangeSet changes = ownership.applicableChanges(canonical, "revops.account.created.v1", SALESFORCE_SOURCE, target);
        Object mapped = mappings.get(MAPPING.get(target)).apply(json.toTree(changes));
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", json.toMap(mapped), flat);
        flat.keySet().removeAll(NOT_COMPARED);
        return flat;
    }

    /** A Tryton party (name) and its first address (street, city, postal_code), flat as the ERP mapping's output. */
    static Map<String, Object> erpActual(JsonNode party, JsonNode address) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("name", text(party.path("name")));
        flat.put("address.street", address == null ? null : text(address.path("street")));
        flat.put("address.city", address == null ? null : text(address.path("city")));
        flat.put("address.postalCode", address == null ? null : text(address.path("postal_code")));
        return flat;
    }

    /** A Kill Bill account, flat as the billing mapping's output. */
    static Map<String, Object> billingActual(JsonNode account) {
        Map<String, Object> flat = new LinkedHashMap<>();
        for (String field : List.of("name", "phone", "currency", "address1", "city", "postalCode", "state", "country")) {
            flat.put(field, text(account.path(field)));
        }
        return flat;
    }

    /** Each field the target holds differently, as field-mismatch drifts. */
    static void compare(String key, String target, Map<String, Object> expected, Map<String, Object> actual,
            java.util.function.Consumer<Drift> drifts) {
        for (Map.Entry<String, Object> field : expected.entrySet()) {
            String want = field.getValue() == null ? null : field.getValue().toString();
            String have = actual.get(field.getKey()) == null ? null : actual.get(field.getKey()).toString();
            if (want == null && !CLEARED_BY_ROUTE.get(target).contains(field.getKey())) {
                continue;
            }
            if (!java.util.Objects.equals(blankAsNull(want), blankAsNull(have))) {
                drifts.accept(new Drift("account", key, DriftKind.FIELD_MISMATCH, "salesforce", target,
                        CANONICAL.getOrDefault(field.getKey(), field.getKey()), want, have));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> values, Map<String, Object> into) {
        values.forEach((name, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + name + ".", (Map<String, Object>) nested, into);
            } else {
                into.put(prefix + name, value);
            }
        });
    }

    private static String blankAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
