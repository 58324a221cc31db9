package io.revops.bridge.flows;

import static io.revops.bridge.testing.SandboxSalesforce.activatedOrder;
import static io.revops.bridge.testing.SandboxSalesforce.orderLine;
import static io.revops.bridge.testing.SandboxSalesforce.orderNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.billing.BillingSubscriptions;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.reconciliation.RepairRefusedException;
import io.revops.bridge.reconciliation.Drift;
import io.revops.bridge.reconciliation.OrderReconciler;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * An activated order after drift behind the runtime's back: a user sets the ERP-owned ERP_Status__c, a seat is added
 * in Kill Bill by hand. The reconciliation finds both as their kinds; the status is repaired by the ERP's acceptance
 * published again through the normal routes; the extra seat is reported, never cancelled; the next run finds only it.
 */
@QuarkusTest
class OrderReconciliationTest {
    private static final Duration FLOW = Duration.ofSeconds(45);

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    BillingAccounts billing;
    @Inject
    BillingSubscriptions subscriptions;
    @Inject
    OrderReconciler orders;

    @Test
    void anErpStatusEditedInSalesforceIsRepairedAndASeatAddedInBillingIsReported() throws Exception {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        String account = syncedAccount(salesforce);
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 2, 10, "Monthly"));
        String number = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 2"));
        assertThat(reconcile(number)).as("an order in step").isEmpty();

        salesforce.update("Order", orderId, Map.of("ERP_Status__c", "Rejected"));
        String seat = seatKeys(number).get(0);
        String extraSeat = seat.substring(0, seat.lastIndexOf('-')) + "-3";
        subscriptions.activate(Map.of("accountKey", account, "orderNumber", number,
                "subscriptions", List.of(Map.of("externalKey", extraSeat, "planName", "standard-monthly"))));

        List<Drift> found = reconcile(number);

        assertThat(found).extracting(d -> d.kind().wire() + " " + d.target() + " " + d.field() + " " + d.expected() + " != " + d.actual())
                .containsExactlyInAnyOrder("status-mismatch salesforce ERP_Status__c Accepted != Rejected",
                        "orphan-in-target billing " + extraSeat + " null != standard-monthly");
        for (Drift drift : found) {
            if (drift.target().equals("billing")) {
                assertThatThrownBy(() -> orders.repair(drift, UUID.randomUUID().toString()))
                        .isInstanceOf(RepairRefusedException.class);
            } else {
                orders.repair(drift, UUID.randomUUID().toString());
            }
        }

        await().atMost(FLOW).until(() -> "Accepted".equals(salesforce.get("Order", orderId).path("ERP_Status__c").asText()));
        assertThat(reconcile(number)).extracting(d -> d.kind().wire()).containsExactly("orphan-in-target");
        assertThat(seatKeys(number)).as("reported, never cancelled").hasSize(3);
        assertThat(sandbox.tryton().sales()).filteredOn(s -> number.equals(s.get("reference"))).hasSize(1);
    }

    @Test
    void anOrderTheRoutesWouldRefuseIsADriftOfItsOwnAndTheRunGoesOn() throws Exception {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        String account = syncedAccount(salesforce);
        String brokenId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 2, 10, "Monthly"));
        String broken = orderNumber(salesforce, brokenId);
        String healthyId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 10, "Monthly"));
        String healthy = orderNumber(salesforce, healthyId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", healthyId).path("Billing_Status__c").asText().startsWith("Active")
                && salesforce.get("Order", brokenId).path("Billing_Status__c").asText().startsWith("Active"));
        // edited behind the routes' back into what they refuse: half a seat
        String item = (String) sandbox.salesforce().records("OrderItem").stream()
                .filter(i -> brokenId.equals(i.get("OrderId"))).findFirst().orElseThrow().get("Id");
        salesforce.update("OrderItem", item, Map.of("Quantity", 2.5));
        String seat = seatKeys(healthy).get(0);
        String extraSeat = seat.substring(0, seat.lastIndexOf('-')) + "-2";
        subscriptions.activate(Map.of("accountKey", account, "orderNumber", healthy,
                "subscriptions", List.of(Map.of("externalKey", extraSeat, "planName", "standard-monthly"))));

        assertThat(reconcile(broken)).extracting(d -> d.kind().wire() + " " + d.systemOfRecord() + " " + d.target())
                .containsExactly("cannot-compare salesforce salesforce");
        assertThat(reconcile(broken).get(0).actual()).contains("fractional-seats");
        assertThat(reconcile(healthy)).as("the run went on to the next order").extracting(d -> d.kind().wire())
                .containsExactly("orphan-in-target");
    }

    private List<Drift> reconcile(String orderNumber) throws Exception {
        List<Drift> drifts = new ArrayList<>();
        String cursor = null;
        do {
            cursor = orders.reconcilePage(cursor, drift -> {
                if (orderNumber.equals(drift.businessKey())) {
                    drifts.add(drift);
                }
            });
        } while (cursor != null);
        return drifts;
    }

    private List<String> seatKeys(String orderNumber) {
        return sandbox.killBill().subscriptions().stream().map(s -> (String) s.get("externalKey"))
                .filter(key -> key.startsWith(orderNumber + "-")).sorted().toList();
    }

    private String syncedAccount(SalesforceRest salesforce) {
        return SandboxSalesforce.syncedAccount(salesforce, "Bluth Company", erp, billing);
    }
}
