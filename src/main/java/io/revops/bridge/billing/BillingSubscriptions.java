package io.revops.bridge.billing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;
import io.revops.bridge.policy.TransientFailureException;

/**
 * Activates an order's subscriptions in Kill Bill, each on its own key (externalKey = our order line key), so a
 * replay creates only what is missing. Every subscription gets its own bundle keyed like the subscription: a
 * bundle holds one BASE product, and the key lets an invoice item lead back to its order line.
 */
@ApplicationScoped
@Named("billingSubscriptions")
public class BillingSubscriptions {
    private final KillBillClient client;
    private final BillingAccounts accounts;

    @Inject
    public BillingSubscriptions(KillBillClient client) {
        this.client = client;
        this.accounts = new BillingAccounts(client);
    }

    /**
     * @param request accountKey (our account id = the Kill Bill account's externalKey), orderNumber, and
     *                subscriptions: [{externalKey, planName}, ...]
     * @return every requested subscription as Kill Bill holds it, in request order
     * @throws PrerequisiteMissingException the account is not in billing yet
     * @throws BusinessException "billing-activation-failed" when Kill Bill refused some of them; the others stay
     *                           active and a replay creates only the missing ones
     */
    public List<BillingSubscription> activate(Map<String, Object> request) {
        String accountKey = required(request, "accountKey");
        String orderNumber = required(request, "orderNumber");
        List<Map<String, Object>> wanted = subscriptions(request);
        Applied applied = ensureAll(accountId(accountKey, "order " + orderNumber), wanted, null);
        if (!applied.refused().isEmpty()) {
            throw activationFailed(orderNumber, accountKey, applied.active(), applied.refused());
        }
        return applied.active();
    }

    /**
     * Applies a contract change the ERP accepted: the seats it adds become subscriptions of their own, keyed per
     * change line and unit, starting on the change's effective date (Kill Bill's entitlementDate and billingDate).
     *
     * @param request accountKey, changeId, orderNumber (the original order), erpSale (the change's ERP sale),
     *                effectiveDate (yyyy-MM-dd) and subscriptions: [{externalKey, planName}, ...]
     * @throws PrerequisiteMissingException the account is not in billing yet
     * @throws BusinessException "billing-change-failed" when Kill Bill refused some of them, naming what is active,
     *                           what was refused and the ERP sale that booked the change (to compensate)
     */
    public List<BillingSubscription> applyChange(Map<String, Object> request) {
        String accountKey = required(request, "accountKey");
        String changeId = required(request, "changeId");
        String orderNumber = required(request, "orderNumber");
        String effectiveDate = required(request, "effectiveDate");
        List<Map<String, Object>> wanted = subscriptions(request);
        Applied applied = ensureAll(accountId(accountKey, "contract change " + changeId), wanted, effectiveDate);
        if (!applied.refused().isEmpty()) {
            throw changeFailed(changeId, orderNumber, accountKey, String.valueOf(request.get("erpSale")), applied);
        }
        return applied.active();
    }

    /** What Kill Bill holds after a request: the active subscriptions and each refusal with Kill Bill's reason. */
    private record Applied(List<BillingSubscription> active, Map<String, String> refused) {
    }

    private String accountId(String accountKey, String needing) {
        return accounts.find(accountKey).map(BillingAccount::accountId)
                .orElseThrow(() -> new PrerequisiteMissingException("account-not-in-billing", needing
                        + " needs billing account " + accountKey + ", which is not in Kill Bill yet"));
    }

    private Applied ensureAll(String accountId, List<Map<String, Object>> wanted, String startDate) {
        List<BillingSubscription> active = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (Map<String, Object> subscription : wanted) {
            String externalKey = (String) subscription.get("externalKey");
            String planName = (String) subscription.get("planName");
            try {
                active.add(ensure(accountId, externalKey, planName, startDate));
            } catch (BusinessException refusal) {
                // go on with the others: what Kill Bill accepts stays active, and the report names all refusals
                refused.put(externalKey + " (" + planName + ")", refusal.getMessage());
            }
        }
        return new Applied(active, refused);
    }

    /**
     * The subscriptions of an order as Kill Bill holds them (any state): those of the account's bundles whose key is
     * one of the order's, "&lt;order&gt;-...". One call: the account's bundles with their subscriptions.
     */
    public List<BillingSubscription> ofOrder(String accountKey, String orderNumber) {
        Optional<BillingAccount> account = accounts.find(accountKey);
        if (account.isEmpty()) {
            return List.of();
        }
        String accountId = account.get().accountId();
        List<BillingSubscription> found = new ArrayList<>();
        for (JsonNode bundle : client.find("/1.0/kb/accounts/" + accountId + "/bundles").orElseThrow(
                () -> new IllegalStateException("Kill Bill does not find the bundles of account " + accountId))) {
            for (JsonNode subscription : bundle.path("subscriptions")) {
                if (subscription.path("externalKey").asText().startsWith(orderNumber + "-")) {
                    found.add(ours(subscription, accountId, false));
                }
            }
        }
        return found;
    }

    /** @param startDate null: now; else the day service and billing start (yyyy-MM-dd) */
    private BillingSubscription ensure(String accountId, String externalKey, String planName, String startDate) {
        Optional<JsonNode> existing = lookup(externalKey);
        if (existing.isPresent()) {
            return ours(existing.get(), accountId, false);
        }
        Map<String, Object> create = Map.of("accountId", accountId, "externalKey", externalKey,
                "bundleExternalKey", externalKey, "planName", planName);
        try {
            client.post("/1.0/kb/subscriptions" + (startDate == null ? "" : "?entitlementDate="
                    + URLEncoder.encode(startDate, StandardCharsets.UTF_8) + "&billingDate="
                    + URLEncoder.encode(startDate, StandardCharsets.UTF_8)), create);
        } catch (BusinessException | TransientFailureException refused) {
            // a racing writer of the same key wins with 400 (codes 1014/1015: the bundle key is taken) or 500 (the
            // unique index on the subscription key): then the subscription is there and counts as found
            return lookup(externalKey).map(winner -> ours(winner, accountId, false)).orElseThrow(() -> refused);
        }
        return ours(lookup(externalKey).orElseThrow(() -> new IllegalStateException(
                "Kill Bill accepted subscription " + externalKey + " but does not find it by its key")), accountId, true);
    }

    private Optional<JsonNode> lookup(String externalKey) {
        return client.find("/1.0/kb/subscriptions?externalKey=" + URLEncoder.encode(externalKey, StandardCharsets.UTF_8));
    }

    private static BillingSubscription ours(JsonNode subscription, String accountId, boolean created) {
        String externalKey = subscription.path("externalKey").asText();
        if (!accountId.equals(subscription.path("accountId").asText())) {
            // subscription keys are unique per tenant: the key was used for another customer's order
            throw new BusinessException("billing-rejected", "subscription key " + externalKey
                    + " is already used by billing account " + subscription.path("accountId").asText());
        }
        return new BillingSubscription(subscription.path("subscriptionId").asText(), externalKey,
                subscription.path("planName").asText(), subscription.path("state").asText(), created);
    }

    private static BusinessException activationFailed(String orderNumber, String accountKey,
            List<BillingSubscription> active, Map<String, String> refused) {
        StringBuilder message = new StringBuilder("order ").append(orderNumber).append(" for account ").append(accountKey)
                .append(" is not fully active in billing. Active: ");
        message.append(active.isEmpty() ? "none" : String.join(", ", active.stream()
                .map(s -> s.externalKey() + " (" + s.planName() + ")").toList()));
        message.append(". Refused: ");
        message.append(String.join("; ", refused.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
        message.append(". After fixing the cause, a replay creates only the missing subscriptions.");
        return new BusinessException("billing-activation-failed", message.toString());
    }

    private static BusinessException changeFailed(String changeId, String orderNumber, String accountKey,
            String erpSale, Applied applied) {
        return new BusinessException("billing-change-failed", "contract change " + changeId + " of order " + orderNumber
                + " for account " + accountKey + " was booked in the ERP (sale " + erpSale
                + ") but is not fully applied in billing. Active: " + (applied.active().isEmpty() ? "none"
                        : String.join(", ", applied.active().stream().map(s -> s.externalKey() + " (" + s.planName() + ")").toList()))
                + ". Refused: " + String.join("; ", applied.refused().entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).toList())
                + ". After fixing the cause, a replay creates only the missing subscriptions; or compensate by"
                + " cancelling the ERP sale " + erpSale + " (README: Contract lifecycle).");
    }

    private static String required(Map<String, Object> request, String field) {
        if (request.get(field) instanceof String value && !value.isBlank()) {
            return value;
        }
        throw new BusinessException("invalid-event", "subscription activation without " + field + ": " + request);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> subscriptions(Map<String, Object> request) {
        if (!(request.get("subscriptions") instanceof List<?> list) || list.isEmpty()) {
            throw new BusinessException("invalid-event", "subscription activation without subscriptions: " + request);
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> subscription) || !(subscription.get("externalKey") instanceof String)
                    || !(subscription.get("planName") instanceof String)) {
                throw new BusinessException("invalid-event",
                        "a subscription to activate needs externalKey and planName: " + item);
            }
        }
        return (List<Map<String, Object>>) list;
    }
}
