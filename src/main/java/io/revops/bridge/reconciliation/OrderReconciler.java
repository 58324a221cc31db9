package io.revops.bridge.reconciliation;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.revops.bridge.billing.BillingSubscription;
import io.revops.bridge.billing.BillingSubscriptions;
import io.revops.bridge.erp.ErpSale;
import io.revops.bridge.erp.ErpSales;
import io.revops.bridge.salesforce.SalesforceOrders;
import io.revops.bridge.salesforce.SalesforceRecords;

/**
 * Activated orders, paged by Salesforce OrderNumber (cursor {@code salesforce:<last OrderNumber>}):
 * <ul>
 * <li>the ERP holds one sale under the order number (missing-in-target, duplicate-in-target; target erp) and the
 * ERP's answer is the Salesforce Order's {@code ERP_Status__c} (status-mismatch, target salesforce, system of record
 * erp: a confirmed, processing or done sale is Accepted, one left in quotation Rejected);</li>
 * <li>for an accepted order, billing holds exactly the subscriptions the recurring lines make through the route's own
 * mapping ({@code billing/order-to-subscriptions}: one per seat, on the catalog's plan): missing-in-target, a plan
 * that differs (field-mismatch), an active subscription of the order no line makes (orphan-in-target: a seat added in
 * billing behind our back); target billing, system of record salesforce.</li>
 * </ul>
 * Each order is read with its items as the inbound route reads it (two SOQL queries), the sales of a page in one
 * Tryton search_read, and each account's bundles in one Kill Bill call; {@code revops.reconciliation.order.page-size}
 * orders a page.
 */
@ApplicationScoped
public class OrderReconciler implements ObjectReconciler {
    static final String OBJECT = "order";
    private static final String SALESFORCE = "salesforce:";
    private static final String TOPIC = "revops.order.v1";
    private static final Set<String> ACCEPTED_STATES = Set.of("confirmed", "processing", "done");

    private final SalesforceRecords salesforce;
    private final SalesforceOrders orders;
    private final ErpSales erp;
    private final BillingSubscriptions billing;
    private final RepublishedEvents events;
    private final int pageSize;

    @Inject
    public OrderReconciler(SalesforceRecords salesforce, SalesforceOrders orders, ErpSales erp, BillingSubscriptions billing,
            RepublishedEvents events, @ConfigProperty(name = "revops.reconciliation.order.page-size", defaultValue = "200") int pageSize) {
        this.salesforce = salesforce;
        this.orders = orders;
        this.erp = erp;
        this.billing = billing;
        this.events = events;
        this.pageSize = pageSize;
    }

    @Override
    public String object() {
        return OBJECT;
    }

    @Override
    public String reconcilePage(String cursor, Consumer<Drift> drifts) {
        if (cursor != null && !cursor.startsWith(SALESFORCE)) {
            throw new IllegalArgumentException("not an order reconciliation cursor: " + cursor);
        }
        String after = cursor == null ? "" : cursor.substring(SALESFORCE.length());
        // new orders only: an amendment or reduction order is a contract change (its own sale and seats), not an order
        // whose recurring lines make subscriptions of their own
        List<Map<String, Object>> page = salesforce.query("SELECT Id, OrderNumber, ERP_Status__c FROM Order"
                + " WHERE Status = 'Activated' AND IsReductionOrder = false AND (Type = null OR Type != 'Amendment')"
                + " AND OrderNumber > " + InvoiceReconciler.quoted(List.of(after))
                + " ORDER BY OrderNumber LIMIT " + pageSize);
        if (page.isEmpty()) {
            return null;
        }
        Map<String, List<ErpSale>> sales = erp.byReferences(page.stream().map(o -> (String) o.get("OrderNumber")).toList());
        for (Map<String, Object> order : page) {
            String number = (String) order.get("OrderNumber");
            List<ErpSale> found = sales.getOrDefault(number, List.of());
            if (found.isEmpty()) {
                drifts.accept(drift(number, DriftKind.MISSING_IN_TARGET, "salesforce", "erp", null, "sale", null));
                continue;
            }
            if (found.size() > 1) {
                drifts.accept(drift(number, DriftKind.DUPLICATE_IN_TARGET, "salesforce", "erp", "reference", "1",
                        String.valueOf(found.size())));
            }
            String expected = erpStatus(found.get(0));
            if (expected != null && !expected.equals(order.get("ERP_Status__c"))) {
                drifts.accept(drift(number, DriftKind.STATUS_MISMATCH, "erp", "salesforce", "ERP_Status__c", expected,
                        (String) order.get("ERP_Status__c")));
            }
            if ("Accepted".equals(expected)) {
                RecordComparison.compare(OBJECT, number, "salesforce", drifts,
                        () -> compareSubscriptions((String) order.get("Id"), canonical((String) order.get("Id")), drifts));
            }
        }
        return SALESFORCE + page.get(page.size() - 1).get("OrderNumber");
    }

    @SuppressWarnings("unchecked")
    private void compareSubscriptions(String orderId, Map<String, Object> order, Consumer<Drift> drifts) {
        String number = (String) order.get("orderNumber");
        Map<String, Object> wanted = events.map("billing/order-to-subscriptions", order);
        Map<String, String> plans = new LinkedHashMap<>();
        ((List<Map<String, Object>>) wanted.get("subscriptions")).forEach(s -> plans.put((String) s.get("externalKey"),
                (String) s.get("planName")));
        applyPlanChanges(orderId, plans);
        Map<String, BillingSubscription> held = new LinkedHashMap<>();
        billing.ofOrder((String) order.get("accountId"), number).forEach(s -> held.put(s.externalKey(), s));
        plans.forEach((key, plan) -> {
            BillingSubscription subscription = held.get(key);
            if (subscription == null) {
                drifts.accept(drift(number, DriftKind.MISSING_IN_TARGET, "salesforce", "billing", key, plan, null));
            } else if (!plan.equals(subscription.planName())) {
                drifts.accept(drift(number, DriftKind.FIELD_MISMATCH, "salesforce", "billing", key + ".planName", plan,
                        subscription.planName()));
            }
        });
        held.values().stream().filter(s -> !plans.containsKey(s.externalKey()) && "ACTIVE".equals(s.state()))
                .forEach(s -> drifts.accept(drift(number, DriftKind.ORPHAN_IN_TARGET, "salesforce", "billing",
                        s.externalKey(), null, s.planName())));
    }

    /**
     * A Salesforce status that differs from the ERP's, and subscriptions missing in billing, are repaired by publishing
     * the ERP's acceptance of the order again (the order read from Salesforce now, the sale's number from the ERP):
     * salesforce-order-writeback writes the ERP fields, billing-order-activation creates only the missing
     * subscriptions. A missing or duplicate sale, a rejected order's status (its reason is only known when the sale is
     * placed), another plan or an extra subscription in billing are a person's decision: refused.
     */
    @Override
    public void repair(Drift drift, String repairId) throws SQLException {
        boolean republishable = drift.kind() == DriftKind.STATUS_MISMATCH && "Accepted".equals(drift.expected())
                || drift.kind() == DriftKind.MISSING_IN_TARGET && "billing".equals(drift.target());
        if (!republishable) {
            throw new RepairRefusedException("a " + drift.kind().wire() + " of order " + drift.businessKey() + " in "
                    + drift.target() + " is not repaired by republishing the ERP's acceptance: correct it in "
                    + drift.target() + " (or replay the order's dead letter)");
        }
        String number = drift.businessKey();
        ErpSale sale = erp.byReferences(List.of(number)).getOrDefault(number, List.of()).stream().findFirst()
                .filter(s -> ACCEPTED_STATES.contains(s.state())).orElseThrow(() -> new IllegalStateException(
                        "order " + number + " is not accepted in the ERP (any more): nothing to republish"));
        List<Map<String, Object>> found = salesforce.query("SELECT Id FROM Order WHERE OrderNumber = "
                + InvoiceReconciler.quoted(List.of(number)));
        if (found.isEmpty()) {
            throw new IllegalStateException("order " + number + " is no longer in Salesforce");
        }
        Map<String, Object> order = canonical((String) found.get(0).get("Id"));
        Map<String, Object> input = new LinkedHashMap<>();
        // the ERP's answer as the route's mapping reads it: no rejection (null, as an accepted ErpSale carries it)
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("number", sale.number());
        accepted.put("state", sale.state());
        accepted.put("rejectionCategory", null);
        accepted.put("rejectionReason", null);
        input.put("body", accepted);
        input.put("headers", Map.of("ce_id", RepairEvents.eventId(repairId), "ce_correlationid", "order-" + number));
        input.put("variables", Map.of("order", order));
        events.publish(TOPIC, events.map("erp/sale-to-order-status", input), repairId);
    }

    /**
     * The plans the order's seats run on after its activated amendments that change plan, in order, put through the
     * mappings the routes apply (salesforce/order-to-contract-change, billing/contract-change-to-subscriptions): a seat
     * an upgrade moved is expected on its new plan, not reported as a field-mismatch.
     */
    @SuppressWarnings("unchecked")
    private void applyPlanChanges(String orderId, Map<String, String> plans) {
        for (Map<String, Object> amendment : salesforce.query("SELECT Id FROM Order WHERE Amended_Order__c = '" + orderId
                + "' AND Type = 'Amendment' AND Status = 'Activated' ORDER BY OrderNumber")) {
            Map<String, Object> change = (Map<String, Object>) events.map("salesforce/order-to-contract-change",
                    orders.withItems(activation((String) amendment.get("Id")))).get("data");
            if (((List<Map<String, Object>>) change.getOrDefault("lines", List.of())).stream()
                    .noneMatch(line -> "CHANGE_PLAN".equals(line.get("action")))) {
                continue;
            }
            List<Map<String, Object>> moves = (List<Map<String, Object>>) events.map(
                    "billing/contract-change-to-subscriptions", change).getOrDefault("planChanges", List.of());
            for (Map<String, Object> move : moves) {
                for (Object prefix : (List<Object>) move.get("seatKeyPrefixes")) {
                    plans.replaceAll((key, plan) -> key.startsWith((String) prefix) ? (String) move.get("planName") : plan);
                }
            }
        }
    }

    private static Map<String, Object> activation(String orderId) {
        Map<String, Object> activation = new LinkedHashMap<>();
        activation.put("orderId", orderId);
        activation.put("eventId", "reconciliation:read:" + orderId);
        activation.put("time", Instant.now().toString());
        return activation;
    }

    /** The order as the inbound route makes it: read with its items, through salesforce/order-to-canonical. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> canonical(String orderId) {
        return (Map<String, Object>) events.map("salesforce/order-to-canonical", orders.withItems(activation(orderId))).get("data");
    }

    private static String erpStatus(ErpSale sale) {
        if (ACCEPTED_STATES.contains(sale.state())) {
            return "Accepted";
        }
        return "quotation".equals(sale.state()) ? "Rejected" : null; // draft: still being placed
    }

    private static Drift drift(String number, DriftKind kind, String systemOfRecord, String target, String field,
            String expected, String actual) {
        return new Drift(OBJECT, number, kind, systemOfRecord, target, field, expected, actual);
    }
}
