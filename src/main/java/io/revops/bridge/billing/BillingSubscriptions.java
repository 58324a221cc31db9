package io.revops.bridge.billing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
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
    private final SeatClaims seatClaims;

    @Inject
    public BillingSubscriptions(KillBillClient client, SeatClaims seatClaims) {
        this.client = client;
        this.accounts = new BillingAccounts(client);
        this.seatClaims = seatClaims;
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
     * change line and unit, starting on the change's effective date (Kill Bill's entitlementDate and billingDate);
     * the seats it removes are cancelled among the subscriptions of the original order line and of the amendments that
     * added seats to it, the last added first, with the change's policy (a whole-contract cancellation: all of them).
     * Each cancelled seat is claimed for the change first ({@link SeatClaims}), so a retry cancels the same seats and
     * the same change twice cancels once.
     *
     * @param request accountKey, changeId, orderNumber (the original order), erpSale (the change's ERP sale),
     *                effectiveDate (yyyy-MM-dd), subscriptions: [{externalKey, planName}, ...], cancellations:
     *                [{lineId, seatKeyPrefixes, count (absent: every seat still running)}, ...] and cancellationPolicy
     *                (END_OF_TERM or IMMEDIATE)
     * @throws PrerequisiteMissingException the account is not in billing yet
     * @throws BusinessException "billing-change-failed" when Kill Bill refused some of them, naming what is active,
     *                           what was refused and the ERP sale that booked the change (to compensate)
     */
    public AppliedChange applyChange(Map<String, Object> request) {
        String accountKey = required(request, "accountKey");
        String changeId = required(request, "changeId");
        String orderNumber = required(request, "orderNumber");
        String effectiveDate = required(request, "effectiveDate");
        List<Map<String, Object>> wanted = request.get("subscriptions") instanceof List<?> list && list.isEmpty()
                ? List.of() : subscriptions(request);
        List<Map<String, Object>> cancellations = cancellations(request);
        if (request.get("renewal") instanceof Map<?, ?> renewal) {
            return renew(accountId(accountKey, "contract change " + changeId), changeId, orderNumber, accountKey,
                    String.valueOf(request.get("erpSale")), renewal);
        }
        List<Map<String, Object>> planChanges = planChanges(request);
        if (wanted.isEmpty() && cancellations.isEmpty() && planChanges.isEmpty()) {
            throw new BusinessException("invalid-event", "contract change " + changeId + " without seats to add, remove or change plan");
        }
        String accountId = accountId(accountKey, "contract change " + changeId);
        Applied applied = ensureAll(accountId, wanted, effectiveDate);
        List<CancelledSeat> cancelled = new ArrayList<>();
        String policy = String.valueOf(request.getOrDefault("cancellationPolicy", "END_OF_TERM"));
        for (Map<String, Object> cancellation : cancellations) {
            cancelSeats(accountId, changeId, cancellation, policy, effectiveDate, cancelled, applied.refused());
        }
        List<BillingSubscription> planChanged = new ArrayList<>();
        for (Map<String, Object> planChange : planChanges) {
            changePlans(accountId, planChange, effectiveDate, planChanged, applied.refused());
        }
        if (!applied.refused().isEmpty()) {
            throw changeFailed(changeId, orderNumber, accountKey, String.valueOf(request.get("erpSale")), applied, cancelled);
        }
        return new AppliedChange(applied.active(), cancelled, List.of(), planChanged);
    }

    /**
     * Moves every seat of a line still running to the change's plan (Kill Bill's change plan, which prorates: the old
     * plan's unused days repaired, the new plan billed for them). A seat already on the plan, or with that change
     * already pending, is left as it is, so a replay changes nothing. An effective date after today is Kill Bill's
     * requestedDate; today or earlier changes now (billingPolicy IMMEDIATE): Kill Bill refuses a requested day before a
     * seat's last transition (code 1001), which a seat started the same day has.
     */
    private void changePlans(String accountId, Map<String, Object> planChange, String effectiveDate,
            List<BillingSubscription> changed, Map<String, String> refused) {
        String planName = String.valueOf(planChange.get("planName"));
        boolean later = LocalDate.parse(effectiveDate).isAfter(LocalDate.now(ZoneOffset.UTC));
        for (JsonNode seat : seatsOf(accountId, seatKeyPrefixes(planChange))) {
            if (cancelledAlready(seat)) {
                continue; // an ended seat keeps its plan to its end
            }
            String key = seat.path("externalKey").asText();
            String id = seat.path("subscriptionId").asText();
            try {
                if (!onPlan(seat, planName)) {
                    client.put("/1.0/kb/subscriptions/" + id + "?" + (later
                            ? "requestedDate=" + URLEncoder.encode(effectiveDate, StandardCharsets.UTF_8)
                            : "billingPolicy=IMMEDIATE"), Map.of("planName", planName));
                }
                changed.add(ours(client.find("/1.0/kb/subscriptions/" + id).orElseThrow(() -> new IllegalStateException(
                        "Kill Bill changed the plan of subscription " + id + " but does not find it")), accountId, false));
            } catch (BusinessException refusal) {
                refused.put(key + " (change plan to " + planName + ")", refusal.getMessage());
            }
        }
    }

    /** On the plan already, or changing to it on a later day (Kill Bill lists the pending CHANGE among the events). */
    private static boolean onPlan(JsonNode seat, String planName) {
        if (planName.equals(seat.path("planName").asText())) {
            return true;
        }
        JsonNode lastChange = null;
        for (JsonNode event : seat.path("events")) {
            if ("CHANGE".equals(event.path("eventType").asText())) {
                lastChange = event;
            }
        }
        return lastChange != null && planName.equals(lastChange.path("plan").asText());
    }

    /**
     * A renewal continues the contract as it is: Kill Bill renews every running subscription each period by itself,
     * so nothing changes in billing; what it confirms is which seats of the contract (the order's, "&lt;order&gt;-...",
     * and those its amendments added, amendmentSeatKeyPrefixes) run on.
     *
     * @throws BusinessException billing-change-failed when none runs on (every seat ended or ending): nothing to renew
     */
    private AppliedChange renew(String accountId, String changeId, String orderNumber, String accountKey, String erpSale,
            Map<?, ?> renewal) {
        List<String> amendmentPrefixes = renewal.get("amendmentSeatKeyPrefixes") instanceof List<?> prefixes
                ? prefixes.stream().map(String::valueOf).toList() : List.of();
        List<BillingSubscription> running = new ArrayList<>();
        for (JsonNode bundle : client.find("/1.0/kb/accounts/" + accountId + "/bundles").orElseThrow(
                () -> new IllegalStateException("Kill Bill does not find the bundles of account " + accountId))) {
            for (JsonNode subscription : bundle.path("subscriptions")) {
                String key = subscription.path("externalKey").asText();
                boolean ofContract = key.startsWith(orderNumber + "-") || amendmentPrefixes.stream()
                        .anyMatch(prefix -> key.startsWith(prefix) && key.substring(prefix.length()).matches("[0-9]{1,9}"));
                if (ofContract && !cancelledAlready(subscription)) {
                    running.add(ours(subscription, accountId, false));
                }
            }
        }
        if (running.isEmpty()) {
            throw new BusinessException("billing-change-failed", "renewal " + changeId + " of order " + orderNumber
                    + " for account " + accountKey + " was booked in the ERP (sale " + erpSale + ") but no seat of the"
                    + " contract runs on in billing (every one ended or ending): nothing to renew. Compensate by"
                    + " cancelling the ERP sale " + erpSale + " (README: Contract lifecycle).");
        }
        return new AppliedChange(List.of(), List.of(), running);
    }

    /**
     * Cancels count seats of one line (no count: every seat still running, a whole-contract cancellation): those this
     * change claimed before, then the free ones still running, the last added first.
     */
    private void cancelSeats(String accountId, String changeId, Map<String, Object> cancellation, String policy,
            String effectiveDate, List<CancelledSeat> cancelled, Map<String, String> refused) {
        List<String> prefixes = seatKeyPrefixes(cancellation);
        Integer count = cancellation.get("count") instanceof Number number ? number.intValue() : null;
        List<JsonNode> seats = seatsOf(accountId, prefixes);
        List<JsonNode> chosen = new ArrayList<>();
        for (JsonNode seat : seats) {
            if (seatClaims.holder(seat.path("externalKey").asText(), changeId) == SeatClaims.Holder.THIS_CHANGE) {
                chosen.add(seat);
            }
        }
        for (JsonNode seat : seats) {
            String key = seat.path("externalKey").asText();
            if ((count == null || chosen.size() < count) && !chosen.contains(seat) && !cancelledAlready(seat)
                    && seatClaims.holder(key, changeId) == SeatClaims.Holder.NONE && seatClaims.claim(key, changeId)) {
                chosen.add(seat);
            }
        }
        String line = "line " + cancellation.get("lineId") + " (" + String.join("*, ", prefixes) + "*)";
        if (count != null && chosen.size() < count) {
            refused.put(line, "removes " + count + " seats but only " + chosen.size() + " of the line are still running in billing");
        }
        for (JsonNode seat : chosen) {
            String key = seat.path("externalKey").asText();
            try {
                cancelled.add(cancel(seat, policy, effectiveDate));
            } catch (BusinessException refusal) {
                refused.put(key + " (cancel " + policy + ")", refusal.getMessage());
            }
        }
    }

    /**
     * The line's seats "prefix + unit": the original line's first, then those each earlier amendment added to it;
     * returned last added first (the last prefix's, highest unit numbers first): the stable choice of which seats a
     * reduction removes.
     */
    private List<JsonNode> seatsOf(String accountId, List<String> prefixes) {
        List<JsonNode> seats = new ArrayList<>();
        JsonNode bundles = client.find("/1.0/kb/accounts/" + accountId + "/bundles").orElseThrow(
                () -> new IllegalStateException("Kill Bill does not find the bundles of account " + accountId));
        for (int p = prefixes.size() - 1; p >= 0; p--) {
            String prefix = prefixes.get(p);
            List<JsonNode> ofPrefix = new ArrayList<>();
            for (JsonNode bundle : bundles) {
                for (JsonNode subscription : bundle.path("subscriptions")) {
                    String key = subscription.path("externalKey").asText();
                    if (key.startsWith(prefix) && key.substring(prefix.length()).matches("[0-9]{1,9}")) {
                        ofPrefix.add(subscription);
                    }
                }
            }
            ofPrefix.sort(Comparator.comparingInt((JsonNode s) -> unit(s, prefix)).reversed());
            seats.addAll(ofPrefix);
        }
        return seats;
    }

    private static int unit(JsonNode seat, String prefix) {
        return Integer.parseInt(seat.path("externalKey").asText().substring(prefix.length()));
    }

    /** Kill Bill sets cancelledDate once a cancellation is requested (in the future for END_OF_TERM). */
    private static boolean cancelledAlready(JsonNode subscription) {
        return subscription.hasNonNull("cancelledDate") || "CANCELLED".equals(subscription.path("state").asText());
    }

    /**
     * END_OF_TERM: service and billing run to the end of the paid period (Kill Bill's entitlement and billing policy
     * END_OF_TERM); IMMEDIATE: both stop on the effective date and Kill Bill credits the unused period.
     */
    private CancelledSeat cancel(JsonNode seat, String policy, String effectiveDate) {
        String id = seat.path("subscriptionId").asText();
        if (!cancelledAlready(seat)) {
            String query = "IMMEDIATE".equals(policy)
                    ? "requestedDate=" + URLEncoder.encode(effectiveDate, StandardCharsets.UTF_8) + "&billingPolicy=IMMEDIATE"
                    : "entitlementPolicy=END_OF_TERM&billingPolicy=END_OF_TERM";
            client.delete("/1.0/kb/subscriptions/" + id + "?" + query);
        }
        JsonNode now = client.find("/1.0/kb/subscriptions/" + id).orElseThrow(
                () -> new IllegalStateException("Kill Bill cancelled subscription " + id + " but does not find it"));
        return new CancelledSeat(id, now.path("externalKey").asText(), now.path("planName").asText(),
                now.path("state").asText(), now.path("cancelledDate").asText(null), now.path("billingEndDate").asText(null));
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
            String erpSale, Applied applied, List<CancelledSeat> cancelled) {
        return new BusinessException("billing-change-failed", "contract change " + changeId + " of order " + orderNumber
                + " for account " + accountKey + " was booked in the ERP (sale " + erpSale
                + ") but is not fully applied in billing. Active: " + (applied.active().isEmpty() ? "none"
                        : String.join(", ", applied.active().stream().map(s -> s.externalKey() + " (" + s.planName() + ")").toList()))
                + (cancelled.isEmpty() ? "" : ". Cancelled: " + String.join(", ", cancelled.stream()
                        .map(s -> s.externalKey() + " (ends " + s.cancelledDate() + ")").toList()))
                + ". Refused: " + String.join("; ", applied.refused().entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).toList())
                + ". After fixing the cause, a replay creates only the missing subscriptions and cancels only the seats"
                + " still running; or compensate by"
                + " cancelling the ERP sale " + erpSale + " (README: Contract lifecycle).");
    }

    @SuppressWarnings("unchecked")
    private static List<String> seatKeyPrefixes(Map<String, Object> seats) {
        return (List<String>) seats.get("seatKeyPrefixes");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> planChanges(Map<String, Object> request) {
        if (!(request.get("planChanges") instanceof List<?> list)) {
            return List.of();
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> change) || !(change.get("seatKeyPrefixes") instanceof List<?> prefixes)
                    || prefixes.isEmpty() || !prefixes.stream().allMatch(p -> p instanceof String prefix && !prefix.isEmpty())
                    || !(change.get("planName") instanceof String plan) || plan.isBlank()) {
                throw new BusinessException("invalid-event", "a change of plan needs seatKeyPrefixes and a planName: " + item);
            }
        }
        return (List<Map<String, Object>>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cancellations(Map<String, Object> request) {
        if (!(request.get("cancellations") instanceof List<?> list)) {
            return List.of();
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> cancellation) || !(cancellation.get("seatKeyPrefixes") instanceof List<?> prefixes)
                    || prefixes.isEmpty() || !prefixes.stream().allMatch(p -> p instanceof String prefix && !prefix.isEmpty())
                    || cancellation.containsKey("count") && !(cancellation.get("count") instanceof Number count && count.intValue() >= 1)) {
                throw new BusinessException("invalid-event",
                        "a seat cancellation needs seatKeyPrefixes and, unless it ends every seat, a count of at least 1: " + item);
            }
        }
        return (List<Map<String, Object>>) list;
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
