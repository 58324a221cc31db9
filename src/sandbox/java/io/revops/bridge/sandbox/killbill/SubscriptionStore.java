package io.revops.bridge.sandbox.killbill;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.revops.bridge.sandbox.killbill.KillBillCatalog.Plan;

/**
 * One tenant's subscriptions, each in a bundle of its own (a bundle holds one BASE subscription), with the keys and
 * refusals of the real Kill Bill: the subscription key is unique per tenant, so is an active bundle's key.
 */
final class SubscriptionStore {
    private static final String SUBSCRIPTION_API = "org.killbill.billing.subscription.api.user.SubscriptionBaseApiException";

    /**
     * chargedThroughDate: null until billing starts (a subscription starting later is PENDING); cancelledDate/
     * billingEndDate: null until a cancellation is requested, then the day entitlement/billing end; billCycleDay: the
     * account's, which every period after the first ends on (Kill Bill's ACCOUNT billing alignment).
     */
    record Subscription(String subscriptionId, String externalKey, String accountId, String bundleId,
            String bundleExternalKey, Plan plan, LocalDate startDate, LocalDate chargedThroughDate,
            LocalDate cancelledDate, LocalDate billingEndDate, int billCycleDay) {
        boolean cancelledBy(LocalDate today) {
            return cancelledDate != null && !cancelledDate.isAfter(today);
        }

        /** The next period to bill by {@code today}: from the start or the charged-through date, unless billing ended. */
        boolean dueBy(LocalDate today) {
            LocalDate next = chargedThroughDate == null ? startDate : chargedThroughDate;
            return !next.isAfter(today) && (billingEndDate == null || next.isBefore(billingEndDate));
        }

        Subscription chargedThrough(LocalDate date) {
            return new Subscription(subscriptionId, externalKey, accountId, bundleId, bundleExternalKey, plan, startDate,
                    date, cancelledDate, billingEndDate, billCycleDay);
        }
    }

    private final ObjectMapper json;
    private final KillBillClock clock;
    private final List<Subscription> subscriptions = new ArrayList<>();

    SubscriptionStore(ObjectMapper json, KillBillClock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** A new subscription starting on {@code start}, not charged yet (the ledger bills it when it is due). */
    synchronized Subscription create(String accountId, String externalKey, String bundleExternalKey, Plan plan,
            LocalDate start, int billCycleDay) {
        String subscriptionId = UUID.randomUUID().toString();
        String bundleId = UUID.randomUUID().toString();
        String bundleKey = bundleExternalKey == null ? bundleId : bundleExternalKey;
        String key = externalKey == null ? subscriptionId : externalKey;
        for (Subscription existing : subscriptions) {
            if (existing.bundleExternalKey().equals(bundleKey)) {
                throw existing.accountId().equals(accountId)
                        ? new KillBillError(400, SUBSCRIPTION_API, 1015, "Subscription bundle " + bundleKey + " already has a base subscription")
                        : new KillBillError(400, SUBSCRIPTION_API, 1014, "Active bundle with external key " + bundleKey + " already exists");
            }
            if (existing.externalKey().equals(key)) {
                // the real server lets its database's unique index refuse it
                throw new KillBillError(500, "java.lang.RuntimeException", null,
                        "org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException: Unique index or primary key violation: "
                                + "\"PUBLIC.SUBSCRIPTIONS_EXTERNAL_KEY ON PUBLIC.SUBSCRIPTIONS(EXTERNAL_KEY, TENANT_RECORD_ID)\"");
            }
        }
        Subscription subscription = new Subscription(subscriptionId, key, accountId, bundleId, bundleKey, plan, start,
                null, null, null, billCycleDay);
        subscriptions.add(subscription);
        return subscription;
    }

    /** Billing charged the subscription through {@code date}. */
    synchronized Subscription chargeThrough(String subscriptionId, LocalDate date) {
        Subscription s = byId(subscriptionId).orElseThrow(() -> KillBillError.unknown("SUBSCRIPTION", subscriptionId));
        Subscription charged = s.chargedThrough(date);
        subscriptions.set(subscriptions.indexOf(s), charged);
        return charged;
    }

    /**
     * DELETE /1.0/kb/subscriptions/{id}: entitlement ends on entitlementEnd, billing on billingEnd. A subscription
     * whose cancellation is already requested is refused, as Kill Bill refuses a second cancellation.
     */
    synchronized Subscription cancel(String subscriptionId, LocalDate entitlementEnd, LocalDate billingEnd) {
        Subscription s = byId(subscriptionId).orElseThrow(() -> KillBillError.unknown("SUBSCRIPTION", subscriptionId));
        if (s.cancelledDate() != null) {
            throw new KillBillError(400, SUBSCRIPTION_API, 1041, "Subscription " + subscriptionId + " is in state "
                    + (s.cancelledBy(clock.today()) ? "CANCELLED" : "ACTIVE")
                    + ": Failed to cancel");
        }
        Subscription cancelled = new Subscription(s.subscriptionId(), s.externalKey(), s.accountId(), s.bundleId(),
                s.bundleExternalKey(), s.plan(), s.startDate(), s.chargedThroughDate(), entitlementEnd, billingEnd,
                s.billCycleDay());
        subscriptions.set(subscriptions.indexOf(s), cancelled);
        return cancelled;
    }

    /** The plan a subscription started on and the day it changed plan, for its events (only the last change). */
    private record PlanChange(Plan from, LocalDate on) {
    }

    private final Map<String, PlanChange> planChanges = new HashMap<>();

    /** PUT /1.0/kb/subscriptions/{id}: the subscription is on {@code plan} from {@code on}. */
    synchronized Subscription changePlan(String subscriptionId, Plan plan, LocalDate on) {
        Subscription s = byId(subscriptionId).orElseThrow(() -> KillBillError.unknown("SUBSCRIPTION", subscriptionId));
        PlanChange earlier = planChanges.get(subscriptionId);
        planChanges.put(subscriptionId, new PlanChange(earlier == null ? s.plan() : earlier.from(), on));
        Subscription changed = new Subscription(s.subscriptionId(), s.externalKey(), s.accountId(), s.bundleId(),
                s.bundleExternalKey(), plan, s.startDate(), s.chargedThroughDate(), s.cancelledDate(), s.billingEndDate(),
                s.billCycleDay());
        subscriptions.set(subscriptions.indexOf(s), changed);
        return changed;
    }

    synchronized Optional<Subscription> byId(String subscriptionId) {
        return subscriptions.stream().filter(s -> s.subscriptionId().equals(subscriptionId)).findFirst();
    }

    synchronized Optional<Subscription> byExternalKey(String externalKey) {
        return subscriptions.stream().filter(s -> s.externalKey().equals(externalKey)).findFirst();
    }

    synchronized List<Subscription> all() {
        return List.copyOf(subscriptions);
    }

    /** GET /1.0/kb/accounts/{id}/bundles: one bundle per subscription here. */
    synchronized ArrayNode bundlesJson(String accountId) {
        ArrayNode bundles = json.createArrayNode();
        for (Subscription s : subscriptions) {
            if (s.accountId().equals(accountId)) {
                ObjectNode bundle = bundles.addObject();
                bundle.put("accountId", accountId);
                bundle.put("bundleId", s.bundleId());
                bundle.put("externalKey", s.bundleExternalKey());
                bundle.putArray("subscriptions").add(json(s));
                ObjectNode timeline = bundle.putObject("timeline");
                timeline.put("accountId", accountId);
                timeline.put("bundleId", s.bundleId());
                timeline.put("externalKey", s.bundleExternalKey());
                timeline.set("events", events(s));
                timeline.putArray("auditLogs");
                bundle.putArray("auditLogs");
            }
        }
        return bundles;
    }

    /** A subscription as GET /1.0/kb/subscriptions/{id} and ?externalKey= return it. */
    ObjectNode json(Subscription s) {
        Plan plan = s.plan();
        ObjectNode node = json.createObjectNode();
        node.put("accountId", s.accountId());
        node.put("bundleId", s.bundleId());
        node.put("bundleExternalKey", s.bundleExternalKey());
        node.put("subscriptionId", s.subscriptionId());
        node.put("externalKey", s.externalKey());
        node.put("startDate", s.startDate().toString());
        node.put("productName", plan.product());
        node.put("productCategory", plan.category());
        node.put("billingPeriod", plan.billingPeriod());
        node.put("phaseType", plan.phaseType());
        node.put("priceList", "DEFAULT");
        node.put("planName", plan.name());
        LocalDate today = clock.today();
        node.put("state", s.startDate().isAfter(today) ? "PENDING" : s.cancelledBy(today) ? "CANCELLED" : "ACTIVE");
        node.put("sourceType", "NATIVE");
        node.put("cancelledDate", s.cancelledDate() == null ? null : s.cancelledDate().toString());
        node.put("chargedThroughDate", s.chargedThroughDate() == null ? null : s.chargedThroughDate().toString());
        node.put("billingStartDate", s.startDate().toString());
        node.put("billingEndDate", s.billingEndDate() == null ? null : s.billingEndDate().toString());
        node.put("billCycleDayLocal", s.billCycleDay());
        node.set("events", events(s));
        node.putNull("priceOverrides");
        ObjectNode price = node.putArray("prices").addObject();
        price.put("planName", plan.name());
        price.put("phaseName", plan.phaseName());
        price.put("phaseType", plan.phaseType());
        price.putNull("fixedPrice");
        price.put("recurringPrice", plan.price());
        price.putArray("usagePrices");
        node.putArray("auditLogs");
        return node;
    }

    private ArrayNode events(Subscription s) {
        ArrayNode events = json.createArrayNode();
        PlanChange change = planChanges.get(s.subscriptionId());
        Plan started = change == null ? s.plan() : change.from();
        event(events, s, started, "START_ENTITLEMENT", "entitlement-service", "ENT_STARTED", s.startDate());
        event(events, s, started, "START_BILLING", "billing-service", "START_BILLING", s.startDate());
        if (change != null) {
            event(events, s, s.plan(), "CHANGE", "entitlement+billing-service", "CHANGE", change.on());
        }
        if (s.cancelledDate() != null) {
            event(events, s, s.plan(), "STOP_ENTITLEMENT", "entitlement-service", "ENT_CANCELLED", s.cancelledDate());
            event(events, s, s.plan(), "STOP_BILLING", "billing-service", "STOP_BILLING", s.billingEndDate());
        }
        return events;
    }

    private static void event(ArrayNode events, Subscription s, Plan plan, String type, String service, String state,
            LocalDate effectiveDate) {
        ObjectNode event = events.addObject();
        // stable per subscription and type, as the real ids are stable across reads
        event.put("eventId", UUID.nameUUIDFromBytes((s.subscriptionId() + type).getBytes()).toString());
        event.put("billingPeriod", plan.billingPeriod());
        event.put("effectiveDate", effectiveDate.toString());
        event.put("plan", plan.name());
        event.put("product", plan.product());
        event.put("priceList", "DEFAULT");
        event.put("eventType", type);
        event.put("isBlockedBilling", false);
        event.put("isBlockedEntitlement", false);
        event.put("serviceName", service);
        event.put("serviceStateName", state);
        event.put("phase", plan.phaseName());
        event.putArray("auditLogs");
    }
}
