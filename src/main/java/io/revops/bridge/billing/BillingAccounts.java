package io.revops.bridge.billing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.UnknownAccountException;
import io.revops.bridge.policy.TransientFailureException;

/**
 * Billing system API: Kill Bill accounts, created or updated on externalKey = our key, so a retry never creates a
 * second account. Kill Bill itself refuses a second account with the same externalKey, which covers two writers
 * racing: the loser reads the winner's account and updates it.
 */
@ApplicationScoped
@Named("billingAccounts")
public class BillingAccounts {
    private static final String DEFAULT_CURRENCY = "USD";

    private final KillBillClient client;

    @Inject
    public BillingAccounts(KillBillClient client) {
        this.client = client;
    }

    /**
     * @param account only the attributes to write: externalKey (mandatory), name, currency, email, phone,
     *                address1, city, postalCode, state, country, company; absent ones are left as they are
     */
    public BillingAccount upsert(Map<String, Object> account) {
        String externalKey = (String) account.get("externalKey");
        if (externalKey == null || externalKey.isBlank()) {
            throw new BusinessException("invalid-event", "billing account without externalKey");
        }
        Map<String, Object> fields = new LinkedHashMap<>(account);
        fields.values().removeIf(java.util.Objects::isNull);
        Optional<JsonNode> existing = lookup(externalKey);
        if (existing.isPresent()) {
            return update(existing.get(), fields);
        }
        if (!fields.containsKey("name")) {
            throw new UnknownAccountException("account " + externalKey
                    + " is not in billing yet and this change does not carry its name; resync the account from Salesforce");
        }
        fields.putIfAbsent("currency", DEFAULT_CURRENCY);
        try {
            KillBillClient.Response created = client.post("/1.0/kb/accounts", fields);
            String location = created.location();
            return new BillingAccount(location.substring(location.lastIndexOf('/') + 1), externalKey, true);
        } catch (BusinessException | TransientFailureException refused) {
            // lost a race with another writer of the same key (Kill Bill answers 409, or 500 when its unique
            // index catches it): the account is there now, so update it; otherwise the failure stands
            return lookup(externalKey).map(winner -> update(winner, fields)).orElseThrow(() -> refused);
        }
    }

    /**
     * {@link #upsert}, but a change that cannot create an account billing does not hold (an update: no name) is no
     * failure: empty, so the route can resync the account from Salesforce.
     */
    public Optional<BillingAccount> upsertIfKnown(Map<String, Object> account) {
        try {
            return Optional.of(upsert(account));
        } catch (UnknownAccountException unknown) {
            return Optional.empty();
        }
    }

    public Optional<BillingAccount> find(String externalKey) {
        return lookup(externalKey).map(a -> new BillingAccount(a.path("accountId").asText(), externalKey, false));
    }

    private Optional<JsonNode> lookup(String externalKey) {
        return client.find("/1.0/kb/accounts?externalKey=" + URLEncoder.encode(externalKey, StandardCharsets.UTF_8));
    }

    private BillingAccount update(JsonNode existing, Map<String, Object> fields) {
        String accountId = existing.path("accountId").asText();
        Map<String, Object> changes = new LinkedHashMap<>(fields);
        changes.remove("externalKey");
        if (existing.hasNonNull("currency")) {
            changes.remove("currency"); // Kill Bill never changes an account's currency once it is set
        }
        if (!changes.isEmpty()) {
            client.put("/1.0/kb/accounts/" + accountId, changes);
        }
        return new BillingAccount(accountId, (String) fields.get("externalKey"), false);
    }
}
