package io.revops.bridge.flows;

import static io.restassured.RestAssured.given;
import static io.revops.bridge.testing.SandboxSalesforce.activatedOrder;
import static io.revops.bridge.testing.SandboxSalesforce.orderLine;
import static io.revops.bridge.testing.SandboxSalesforce.orderNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.billing.KillBillClient;
import io.revops.bridge.canonical.CanonicalSchemas;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * Black-box contract lifecycle: an activated order gets more seats through a Salesforce Amendment order (driven
 * through the emulated org's REST API, as a sales rep would), through the real Kafka broker, booked in the emulated
 * Tryton and applied in the emulated Kill Bill only after that, and shown on both Salesforce orders. Every outcome is
 * read back from the systems.
 */
@QuarkusTest
class ContractLifecycleTest {
    private static final Duration FLOW = Duration.ofSeconds(45);
    private static final String TOPIC = "revops.contract-change.v1";

    @Inject
    Sandbox sandbox;
    @Inject
    io.revops.bridge.reconciliation.OrderReconciler orderReconciler;
    @Inject
    ErpCustomers erp;
    @Inject
    BillingAccounts billing;
    @Inject
    DataSource dataSource;
    @Inject
    Json json;
    @Inject
    KillBillClient killBill;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private SalesforceRest salesforce;

    @BeforeEach
    void connect() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
    }

    @Test
    void seatsAddedByAnAmendmentAreBookedInTheErpThenBilledAndShownInSalesforceOnceEvenWhenReplayed() throws Exception {
        String account = syncedAccount("Growing Seats Inc");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 2, 10, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 2"));
        String originalSale = salesforce.get("Order", orderId).path("ERP_Sale_Number__c").asText();

        String amendmentId = activatedAmendment(account, orderId, 3);
        String change = orderNumber(salesforce, amendmentId);

        // the ERP books the change first, as a sale of its own naming the original sale
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesOf(change)).singleElement().satisfies(sale -> {
            assertThat(sale).containsEntry("state", "processing");
            assertThat((String) sale.get("description")).contains("sale " + originalSale).contains("order " + orderNumber);
            assertThat(sale.get("lines")).asList().singleElement().asString().contains("type=comment")
                    .contains("line ").contains("+3");
        }));
        // then billing: one subscription per added seat, keyed per change line and unit, started on the effective date
        await().atMost(FLOW).until(() -> subscriptionsOf(change).size() == 3);
        assertThat(subscriptionsOf(change)).allSatisfy(s -> assertThat(s).containsEntry("planName", "standard-monthly")
                .containsEntry("startDate", LocalDate.now().toString()));
        assertThat(subscriptionsOf(orderNumber)).as("the original seats are untouched").hasSize(2);
        // Salesforce shows it on the amendment and, as the last change, on the original order
        await().atMost(FLOW).untilAsserted(() -> {
            JsonNode amendment = salesforce.get("Order", amendmentId);
            assertThat(amendment.path("ERP_Status__c").asText()).isEqualTo("Accepted");
            assertThat(amendment.path("ERP_Sale_Number__c").asText()).isEqualTo(salesOf(change).get(0).get("number"));
            assertThat(amendment.path("Billing_Status__c").asText()).startsWith("Active: 3 subscription(s) added");
            assertThat(salesforce.get("Order", orderId).path("Contract_Change_Status__c").asText())
                    .startsWith(change + " AMENDMENT: applied in billing");
        });
        assertThat(salesOf(orderNumber)).as("an amendment is not a new order").hasSize(1);

        // Salesforce delivers the amendment's activation again, and Kafka delivers every change event again
        sandbox.salesforce().redeliver("/data/OrderChangeEvent",
                sandbox.salesforce().replayIdOfRecord("/data/OrderChangeEvent", amendmentId, "UPDATE"));
        KafkaTopic changes = new KafkaTopic(bootstrap, TOPIC);
        // the redelivered activation is published again under the same event id
        List<KafkaTopic.Event> events = await().atMost(FLOW).until(() -> changes.readAll().stream()
                .filter(e -> ("change-" + change).equals(e.header("ce_correlationid"))).toList(),
                l -> l.stream().filter(e -> e.header("ce_type").endsWith(".requested.v1")).map(e -> e.header("ce_id"))
                        .toList().size() == 2);
        assertThat(events.stream().filter(e -> e.header("ce_type").endsWith(".requested.v1")).map(e -> e.header("ce_id"))
                .distinct()).hasSize(1);
        assertThat(events).extracting(e -> e.header("ce_type")).contains("revops.contract-change.requested.v1",
                "revops.contract-change.accepted.v1", "revops.contract-change.billing-applied.v1");
        long before = changes.readAll().size();
        events.forEach(changes::publish);
        await().atMost(FLOW).until(() -> lag(changes) == 0);

        assertThat(salesOf(change)).hasSize(1);
        assertThat(subscriptionsOf(change)).hasSize(3);
        assertThat(changes.readAll()).as("replays publish nothing new").hasSize((int) before + events.size());
        assertThat(deadLettersFor(orderNumber)).isEmpty();
        assertEachValidatesAgainstItsSchema(events);
    }

    @Test
    void aSeatAddedMidPeriodIsBilledProratedFromItsEffectiveDateAndItsRevenueDeferredFromThere() throws Exception {
        String account = syncedAccount("Mid Month Expansion Co");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 10, "Monthly"));
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 1"));
        LocalDate today = LocalDate.now();
        LocalDate effective = today.plusDays(10);
        LocalDate billCycleDay = today.plusMonths(1); // the first seat's period ends there: the account's bill cycle day

        String change = orderNumber(salesforce, activatedAmendment(account, orderId, 1, effective));
        await().atMost(FLOW).until(() -> subscriptionsOf(change).size() == 1);
        List<String> before = billingInvoiceNumbersOf(account);
        try {
            // Kill Bill's clock reaches the effective date: the seat starts and is billed up to the bill cycle day
            killBill.post("/1.0/kb/test/clock?requestedDate=" + effective, null);
            String prorated = "KB-" + await().atMost(FLOW).until(() -> billingInvoiceNumbersOf(account).stream()
                    .filter(n -> !before.contains(n)).toList(), l -> l.size() == 1).get(0);
            java.math.BigDecimal expected = new java.math.BigDecimal("10").multiply(java.math.BigDecimal.valueOf(
                    java.time.temporal.ChronoUnit.DAYS.between(effective, billCycleDay))).divide(java.math.BigDecimal.valueOf(
                    java.time.temporal.ChronoUnit.DAYS.between(today, billCycleDay)), 2, java.math.RoundingMode.HALF_UP);
            // booked once in the ERP, its revenue deferred from the effective date to the day before the bill cycle day
            await().atMost(FLOW).untilAsserted(() -> assertThat(sandbox.tryton().invoices())
                    .filteredOn(i -> prorated.equals(i.get("reference"))).singleElement().satisfies(invoice -> {
                        assertThat(new java.math.BigDecimal(String.valueOf(invoice.get("total")))).isEqualByComparingTo(expected);
                        assertThat((List<Map<String, Object>>) invoice.get("lines")).singleElement().satisfies(line -> {
                            assertThat(String.valueOf(line.get("defer_from"))).isEqualTo(effective.toString());
                            assertThat(String.valueOf(line.get("defer_to"))).isEqualTo(billCycleDay.minusDays(1).toString());
                        });
                    }));
            await().atMost(FLOW).untilAsserted(() -> assertThat(sandbox.salesforce().records("Invoice__c"))
                    .filteredOn(i -> prorated.equals(i.get("Invoice_Number__c"))).singleElement()
                    .satisfies(i -> assertThat(new java.math.BigDecimal(String.valueOf(i.get("Total_Amount__c"))))
                            .isEqualByComparingTo(expected)));
        } finally {
            killBill.post("/1.0/kb/test/clock", null);
        }
        assertThat(deadLettersFor(orderNumber(salesforce, orderId))).isEmpty();
    }

    @Test
    void anUpgradeMovesEverySeatOfTheLineToThePremiumPlanProratedAfterTheErpBookedItOnceEvenWhenReplayed() throws Exception {
        String account = syncedAccount("Upgrading Plans Inc");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 2, 10, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 2"));
        String accountId = billing.find(account).orElseThrow().accountId();
        int invoicesBefore = invoiceCount(accountId);

        String upgradeId = activatedPlanChange(account, orderId, "PREMIUM", 2, 25);
        String change = orderNumber(salesforce, upgradeId);

        await().atMost(FLOW).untilAsserted(() -> assertThat(salesOf(change)).singleElement().satisfies(sale ->
                assertThat(sale.get("lines")).asList().singleElement().asString().contains("type=comment")
                        .contains("changes plan from Standard subscription to Premium subscription")));
        await().atMost(FLOW).until(() -> subscriptionsOf(orderNumber).stream()
                .allMatch(s -> "premium-monthly".equals(s.get("planName"))));
        assertThat(subscriptionsOf(orderNumber)).as("the same seats, no new ones").hasSize(2);
        assertThat(subscriptionsOf(change)).isEmpty();
        await().atMost(FLOW).untilAsserted(() -> {
            assertThat(salesforce.get("Order", upgradeId).path("Billing_Status__c").asText())
                    .contains("2 seat(s) changed plan in billing to PREMIUM");
            assertThat(salesforce.get("Order", orderId).path("Contract_Change_Status__c").asText())
                    .startsWith(change + " AMENDMENT: applied in billing");
        });
        // Kill Bill prorated each seat: an invoice with the new plan's period and the old plan's unused days repaired
        // (25.00 - 10.00 of a whole period), booked once in the ERP and shown on Invoice__c
        assertThat(invoiceCount(accountId)).isEqualTo(invoicesBefore + 2);
        List<String> prorating = billingInvoiceNumbersOf(account).stream().skip(invoicesBefore).map(n -> "KB-" + n).toList();
        assertThat(prorating).hasSize(2);
        await().atMost(FLOW).untilAsserted(() -> {
            assertThat(sandbox.tryton().invoices()).filteredOn(i -> prorating.contains(i.get("reference"))).hasSize(2)
                    .allSatisfy(i -> assertThat(new java.math.BigDecimal(String.valueOf(i.get("total"))))
                            .isEqualByComparingTo("15"));
            assertThat(sandbox.salesforce().records("Invoice__c")).filteredOn(i -> prorating.contains(i.get("Invoice_Number__c")))
                    .hasSize(2).allSatisfy(i -> assertThat(new java.math.BigDecimal(String.valueOf(i.get("Total_Amount__c"))))
                            .isEqualByComparingTo("15"));
        });

        sandbox.salesforce().redeliver("/data/OrderChangeEvent",
                sandbox.salesforce().replayIdOfRecord("/data/OrderChangeEvent", upgradeId, "UPDATE"));
        KafkaTopic changes = new KafkaTopic(bootstrap, TOPIC);
        List<KafkaTopic.Event> events = await().atMost(FLOW).until(() -> changes.readAll().stream()
                .filter(e -> ("change-" + change).equals(e.header("ce_correlationid"))).toList(),
                l -> l.stream().filter(e -> e.header("ce_type").endsWith(".requested.v1")).count() == 2);
        events.forEach(changes::publish);
        await().atMost(FLOW).until(() -> lag(changes) == 0);

        assertThat(salesOf(change)).hasSize(1);
        assertThat(subscriptionsOf(orderNumber)).hasSize(2).allSatisfy(s -> assertThat(s).containsEntry("planName", "premium-monthly"));
        assertThat(invoiceCount(accountId)).as("a replay bills nothing more").isEqualTo(invoicesBefore + 2);
        assertThat(deadLettersFor(orderNumber)).isEmpty();
        assertThat(orderDrifts(orderNumber)).as("the reconciliation expects the seats on their new plan").isEmpty();
        assertEachValidatesAgainstItsSchema(events);
    }

    private List<io.revops.bridge.reconciliation.Drift> orderDrifts(String orderNumber) throws Exception {
        List<io.revops.bridge.reconciliation.Drift> drifts = new java.util.ArrayList<>();
        String cursor = null;
        do {
            cursor = orderReconciler.reconcilePage(cursor, drift -> {
                if (orderNumber.equals(drift.businessKey())) {
                    drifts.add(drift);
                }
            });
        } while (cursor != null);
        return drifts;
    }

    /** Publishes every event of the change again (requested, accepted, billing-applied) and waits until all are consumed. */
    private List<KafkaTopic.Event> replayAllEventsOf(String change) {
        KafkaTopic changes = new KafkaTopic(bootstrap, TOPIC);
        List<KafkaTopic.Event> events = changes.readAll().stream()
                .filter(e -> ("change-" + change).equals(e.header("ce_correlationid"))).toList();
        assertThat(events).extracting(e -> e.header("ce_type")).contains("revops.contract-change.requested.v1",
                "revops.contract-change.accepted.v1", "revops.contract-change.billing-applied.v1");
        events.forEach(changes::publish);
        await().atMost(FLOW).until(() -> lag(changes) == 0);
        return events;
    }

    private void assertEachValidatesAgainstItsSchema(List<KafkaTopic.Event> events) {
        for (KafkaTopic.Event event : events) {
            JsonNode data = json.mapper().valueToTree(json.toTree(event.value()));
            assertThat(CanonicalSchemas.violations(CanonicalSchemas.objectOf(event.header("ce_type")), data))
                    .as("%s %s", event.header("ce_id"), event.value()).isEmpty();
        }
    }

    private int invoiceCount(String accountId) {
        return killBill.find("/1.0/kb/accounts/" + accountId + "/invoices").orElseThrow().size();
    }

    /** A sales rep changes the plan: an Amendment order naming the original product with another one, same seats. */
    private String activatedPlanChange(String account, String orderId, String product, int seats, double price) {
        Map<String, Object> original = sandbox.salesforce().records("OrderItem").stream()
                .filter(i -> orderId.equals(i.get("OrderId"))).findFirst().orElseThrow();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AccountId", account);
        order.put("Status", "Draft");
        order.put("Type", "Amendment");
        order.put("Amended_Order__c", orderId);
        order.put("EffectiveDate", LocalDate.now().toString());
        order.put("CurrencyIsoCode", "USD");
        order.put("TotalAmount", seats * price);
        String amendmentId = salesforce.create("Order", order);
        Map<String, Object> item = new LinkedHashMap<>(orderLine(product, "Recurring", seats, price, "Monthly"));
        item.put("OrderId", amendmentId);
        item.put("Amended_Order_Item__c", original.get("Id"));
        salesforce.create("OrderItem", item);
        salesforce.update("Order", amendmentId, Map.of("Status", "Activated"));
        return amendmentId;
    }

    @Test
    void anAmendmentOfAnOrderTheErpHasNotAcceptedWaitsForIt() throws Exception {
        String account = syncedAccount("Credit Checked Ltd");
        sandbox.tryton().holdCredit(account);
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 10, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);
        Map<String, Object> rejection = await().atMost(FLOW).until(() -> deadLettersFor(orderNumber), l -> !l.isEmpty()).get(0);
        assertThat(rejection).containsEntry("reason_code", "credit-hold");

        String amendmentId = activatedAmendment(account, orderId, 2);
        String change = orderNumber(salesforce, amendmentId);
        await().atMost(FLOW).until(() -> !Sql.rows(dataSource, "SELECT 1 FROM parked_event WHERE route_id = ? AND"
                + " last_reason = 'order-not-accepted-in-erp'", "erp-contract-change-sync").isEmpty());
        assertThat(salesOf(change)).as("nothing booked for an order the ERP has not accepted").isEmpty();
        assertThat(subscriptionsOf(change)).isEmpty();

        // the accountant lifts the credit hold and the operator replays the order: the change follows by itself
        sandbox.tryton().releaseCredit(account);
        given().auth().preemptive().basic("operator", "operator").contentType("application/json")
                .body(Map.of("reason", "credit limit raised")).post("/api/v1/dead-letters/" + rejection.get("id") + "/replay")
                .then().statusCode(202);
        await().atMost(FLOW).until(() -> subscriptionsOf(change).size() == 2);
        assertThat(salesOf(change)).singleElement().satisfies(sale -> assertThat(sale).containsEntry("state", "processing"));
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforce.get("Order", amendmentId).path("Billing_Status__c")
                .asText()).startsWith("Active: 2"));
        assertThat(Sql.rows(dataSource, "SELECT 1 FROM parked_event WHERE route_id = ?", "erp-contract-change-sync")).isEmpty();
    }

    @Test
    void seatsRemovedByAReductionOrderAreReturnedInTheErpThenCancelledAtTheEndOfTheTermOnceEvenWhenReplayed() throws Exception {
        String account = syncedAccount("Shrinking Seats Inc");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 3, 10, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 3"));
        String originalSale = salesforce.get("Order", orderId).path("ERP_Sale_Number__c").asText();
        String endOfTerm = String.valueOf(subscriptionsOf(orderNumber).get(0).get("chargedThroughDate"));

        String reductionId = activatedReduction(account, orderId, 2);
        String change = orderNumber(salesforce, reductionId);

        // the ERP books a return sale naming the original sale, the seats taken off as a comment line
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesOf(change)).singleElement().satisfies(sale -> {
            assertThat((String) sale.get("description")).startsWith("Return " + change).contains("sale " + originalSale);
            assertThat(sale.get("lines")).asList().singleElement().asString().contains("type=comment").contains("-2")
                    .contains("at the end of the paid period");
        }));
        // then billing: the two highest seats of the original line end with the paid period, the first runs on
        await().atMost(FLOW).until(() -> cancelledSeatsOf(orderNumber).size() == 2);
        assertThat(cancelledSeatsOf(orderNumber)).extracting(s -> s.get("externalKey"))
                .containsExactlyInAnyOrder(orderNumber + "-" + firstLineOf(orderId) + "-3", orderNumber + "-" + firstLineOf(orderId) + "-2");
        assertThat(cancelledSeatsOf(orderNumber)).allSatisfy(s -> assertThat(s).containsEntry("cancelledDate", endOfTerm)
                .containsEntry("billingEndDate", endOfTerm));
        await().atMost(FLOW).untilAsserted(() -> {
            assertThat(salesforce.get("Order", reductionId).path("Billing_Status__c").asText())
                    .contains("2 seat(s) cancelled in billing, service ending " + endOfTerm);
            assertThat(salesforce.get("Order", orderId).path("Contract_Change_Status__c").asText())
                    .startsWith(change + " AMENDMENT: applied in billing");
        });

        // Kafka delivers every change event again: nothing more is returned or cancelled
        List<KafkaTopic.Event> events = replayAllEventsOf(change);
        assertThat(salesOf(change)).hasSize(1);
        assertThat(cancelledSeatsOf(orderNumber)).hasSize(2);
        assertThat(subscriptionsOf(orderNumber)).hasSize(3);
        assertThat(deadLettersFor(orderNumber)).isEmpty();
        assertEachValidatesAgainstItsSchema(events);
    }

    @Test
    void cancellingTheContractEndsEverySeatAlsoThoseAnAmendmentAddedAtTheEndOfTheTermOnceEvenWhenReplayed() throws Exception {
        String account = syncedAccount("Leaving Customer Inc");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 2, 10, "Monthly"),
                orderLine("ONBOARDING", "One-Time", 1, 200, null));
        String orderNumber = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 2"));
        String originalSale = salesforce.get("Order", orderId).path("ERP_Sale_Number__c").asText();
        String endOfTerm = String.valueOf(subscriptionsOf(orderNumber).get(0).get("chargedThroughDate"));
        String amendment = orderNumber(salesforce, activatedAmendment(account, orderId, 1));
        await().atMost(FLOW).until(() -> subscriptionsOf(amendment).size() == 1);

        String cancellationId = activatedCancellation(account, orderId, "End of Term");
        String change = orderNumber(salesforce, cancellationId);

        // the ERP books a return sale titled Cancellation naming the original sale: the onboarding is credited, the
        // seats end as comment lines
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesOf(change)).singleElement().satisfies(sale -> {
            assertThat((String) sale.get("description")).startsWith("Cancellation " + change).contains("sale " + originalSale);
            assertThat(sale.get("lines")).asList().hasSize(3).anySatisfy(line -> assertThat(String.valueOf(line))
                    .contains("Contract cancelled: every recurring seat of order " + orderNumber + " and of its amendments "
                            + amendment).contains("at the end of the paid period"))
                    .anySatisfy(line -> assertThat(String.valueOf(line)).contains("quantity=-1"));
        }));
        // then billing ends every seat of the contract with the paid period, also the one the amendment added
        await().atMost(FLOW).until(() -> cancelledSeatsOf(orderNumber).size() == 2 && cancelledSeatsOf(amendment).size() == 1);
        assertThat(List.of(cancelledSeatsOf(orderNumber), cancelledSeatsOf(amendment))).flatMap(l -> l)
                .allSatisfy(s -> assertThat(s).containsEntry("cancelledDate", endOfTerm).containsEntry("billingEndDate", endOfTerm));
        await().atMost(FLOW).untilAsserted(() -> {
            assertThat(salesforce.get("Order", cancellationId).path("Billing_Status__c").asText())
                    .contains("3 seat(s) cancelled in billing, service ending " + endOfTerm + " (end of the paid period)");
            assertThat(salesforce.get("Order", orderId).path("Contract_Change_Status__c").asText())
                    .startsWith(change + " CANCELLATION: applied in billing");
        });

        // Kafka delivers every change event again: nothing more is booked or cancelled, nothing dead-lettered
        List<KafkaTopic.Event> events = replayAllEventsOf(change);
        assertThat(salesOf(change)).hasSize(1);
        assertThat(cancelledSeatsOf(orderNumber)).hasSize(2);
        assertThat(subscriptionsOf(orderNumber)).hasSize(2);
        assertThat(subscriptionsOf(amendment)).hasSize(1);
        assertThat(deadLettersFor(orderNumber)).isEmpty();
        assertEachValidatesAgainstItsSchema(events);
    }

    @Test
    void cancellingTheContractImmediatelyEndsServiceAndBillingOnTheEffectiveDate() throws Exception {
        String account = syncedAccount("Leaving Today Ltd");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 10, "Monthly"),
                orderLine("PREMIUM", "Recurring", 1, 25, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 2"));

        String cancellationId = activatedCancellation(account, orderId, "Immediate");
        String change = orderNumber(salesforce, cancellationId);

        String today = LocalDate.now().toString();
        await().atMost(FLOW).until(() -> cancelledSeatsOf(orderNumber).size() == 2);
        assertThat(cancelledSeatsOf(orderNumber)).allSatisfy(s -> assertThat(s).containsEntry("cancelledDate", today)
                .containsEntry("billingEndDate", today));
        assertThat(salesOf(change)).singleElement().satisfies(sale -> assertThat(sale.get("lines")).asList()
                .anySatisfy(line -> assertThat(String.valueOf(line)).contains("Contract cancelled").contains("immediately")));
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforce.get("Order", orderId).path("Contract_Change_Status__c")
                .asText()).startsWith(change + " CANCELLATION: applied in billing: 2 seat(s) cancelled in billing, service ending "
                        + today + " (immediately)"));
        // Kill Bill repairs the paid periods ended today: a credit invoice per seat, the whole unused period
        List<String> credits = sandbox.killBill().invoices().stream().filter(i -> account.equals(i.accountExternalKey()))
                .filter(i -> i.amount().signum() < 0).map(i -> "KB-" + i.invoiceNumber()).toList();
        assertThat(sandbox.killBill().invoices()).filteredOn(i -> account.equals(i.accountExternalKey()))
                .extracting(i -> i.amount().stripTrailingZeros().toPlainString()).contains("-10", "-25");
        // each credit is booked once in the ERP as a credit note and shown on Salesforce; none is a dead letter
        await().atMost(FLOW).untilAsserted(() -> assertThat(sandbox.tryton().invoices()).filteredOn(i -> credits.contains(i.get("reference")))
                .extracting(i -> new java.math.BigDecimal(String.valueOf(i.get("total"))).stripTrailingZeros().toPlainString())
                .containsExactlyInAnyOrder("-10", "-25"));
        await().atMost(FLOW).untilAsserted(() -> assertThat(sandbox.salesforce().records("Invoice__c")).filteredOn(i ->
                credits.contains(i.get("Invoice_Number__c"))).hasSize(2).allSatisfy(i -> assertThat(
                        new java.math.BigDecimal(String.valueOf(i.get("Total_Amount__c"))).signum()).isNegative()));
        assertThat(deadLettersFor(orderNumber)).isEmpty();
    }

    @Test
    void aRenewalIsBookedInTheErpConfirmedInBillingAndTheNextPeriodsInvoiceIsBookedOnceInTheErpAndShownInSalesforce() throws Exception {
        String account = syncedAccount("Staying Customer Inc");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 2, 10, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 2"));
        String originalSale = salesforce.get("Order", orderId).path("ERP_Sale_Number__c").asText();

        String renewalId = activatedRenewal(account, orderId, 24);
        String change = orderNumber(salesforce, renewalId);

        await().atMost(FLOW).untilAsserted(() -> assertThat(salesOf(change)).singleElement().satisfies(sale -> {
            assertThat((String) sale.get("description")).startsWith("Renewal " + change).contains("sale " + originalSale);
            assertThat(sale.get("lines")).asList().singleElement().asString().contains("type=comment")
                    .contains("Contract renewed for 24 months");
        }));
        await().atMost(FLOW).untilAsserted(() -> {
            assertThat(salesforce.get("Order", renewalId).path("Billing_Status__c").asText())
                    .startsWith("Active: renewed for 24 months from " + LocalDate.now() + ": 2 subscription(s) run on");
            assertThat(salesforce.get("Order", orderId).path("Contract_Change_Status__c").asText())
                    .startsWith(change + " RENEWAL: applied in billing");
        });
        assertThat(subscriptionsOf(orderNumber)).as("a renewal subscribes nothing").hasSize(2);

        // Kill Bill's next period: its clock moved past the paid period bills it; the invoice flows like any other
        LocalDate paidThrough = LocalDate.parse(String.valueOf(subscriptionsOf(orderNumber).get(0).get("chargedThroughDate")));
        List<String> before = billingInvoiceNumbersOf(account);
        try {
            killBill.post("/1.0/kb/test/clock?requestedDate=" + paidThrough.plusDays(1), null);
            String renewalInvoice = "KB-" + await().atMost(FLOW).until(() -> billingInvoiceNumbersOf(account).stream()
                    .filter(n -> !before.contains(n)).toList(), l -> l.size() == 1).get(0);
            await().atMost(FLOW).untilAsserted(() -> assertThat(sandbox.salesforce().records("Invoice__c").stream()
                    .filter(i -> renewalInvoice.equals(i.get("Invoice_Number__c"))).toList()).singleElement().satisfies(i -> {
                        assertThat(i.get("Order_Number__c")).isEqualTo(orderNumber);
                        assertThat(new java.math.BigDecimal(String.valueOf(i.get("Total_Amount__c")))).isEqualByComparingTo("20");
                    }));
            assertThat(sandbox.tryton().invoices().stream().filter(i -> renewalInvoice.equals(i.get("reference")))).hasSize(1);
        } finally {
            killBill.post("/1.0/kb/test/clock", null);
        }
        assertThat(deadLettersFor(orderNumber)).isEmpty();
    }

    /** A sales rep renews the contract: a Renewal order naming it, each recurring product as it is, for a new term. */
    private String activatedRenewal(String account, String orderId, int termMonths) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AccountId", account);
        order.put("Status", "Draft");
        order.put("Type", "Renewal");
        order.put("Amended_Order__c", orderId);
        order.put("EffectiveDate", LocalDate.now().toString());
        order.put("CurrencyIsoCode", "USD");
        String renewalId = salesforce.create("Order", order);
        for (Map<String, Object> original : sandbox.salesforce().records("OrderItem").stream()
                .filter(i -> orderId.equals(i.get("OrderId"))).toList()) {
            Map<String, Object> item = new LinkedHashMap<>(orderLine(String.valueOf(original.get("Product_Code__c")), "Recurring",
                    ((Number) original.get("Quantity")).intValue(), ((Number) original.get("UnitPrice")).doubleValue(), "Monthly"));
            item.put("Term_Months__c", termMonths);
            item.put("OrderId", renewalId);
            item.put("Amended_Order_Item__c", original.get("Id"));
            salesforce.create("OrderItem", item);
        }
        salesforce.update("Order", renewalId, Map.of("Status", "Activated"));
        return renewalId;
    }

    private List<String> billingInvoiceNumbersOf(String account) {
        return sandbox.killBill().invoices().stream().filter(i -> account.equals(i.accountExternalKey()))
                .map(i -> i.invoiceNumber()).toList();
    }

    /** A sales rep cancels the contract as Salesforce cancels an order: a reduction order taking every product to zero. */
    private String activatedCancellation(String account, String orderId, String policy) {
        List<Map<String, Object>> originals = sandbox.salesforce().records("OrderItem").stream()
                .filter(i -> orderId.equals(i.get("OrderId"))).toList();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AccountId", account);
        order.put("Status", "Draft");
        order.put("IsReductionOrder", true);
        order.put("OriginalOrderId", orderId);
        order.put("Cancellation_Policy__c", policy);
        order.put("EffectiveDate", LocalDate.now().toString());
        order.put("CurrencyIsoCode", "USD");
        String cancellationId = salesforce.create("Order", order);
        for (Map<String, Object> original : originals) {
            Map<String, Object> item = new LinkedHashMap<>();
            for (String field : List.of("Product_Code__c", "Description", "UnitPrice", "Charge_Type__c", "Billing_Frequency__c",
                    "Term_Months__c")) {
                if (original.get(field) != null) {
                    item.put(field, original.get(field));
                }
            }
            item.put("Quantity", -((Number) original.get("Quantity")).doubleValue());
            item.put("OrderId", cancellationId);
            item.put("OriginalOrderItemId", original.get("Id"));
            salesforce.create("OrderItem", item);
        }
        salesforce.update("Order", cancellationId, Map.of("Status", "Activated"));
        return cancellationId;
    }

    /** A sales rep reduces the order as Salesforce does: a reduction order taking seats off its first product. */
    private String activatedReduction(String account, String orderId, int seats) {
        Map<String, Object> original = sandbox.salesforce().records("OrderItem").stream()
                .filter(i -> orderId.equals(i.get("OrderId"))).findFirst().orElseThrow();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AccountId", account);
        order.put("Status", "Draft");
        order.put("IsReductionOrder", true);
        order.put("OriginalOrderId", orderId);
        order.put("EffectiveDate", LocalDate.now().toString());
        order.put("CurrencyIsoCode", "USD");
        order.put("TotalAmount", -seats * 10.0);
        String reductionId = salesforce.create("Order", order);
        Map<String, Object> item = new LinkedHashMap<>(orderLine("STANDARD", "Recurring", -seats, 10, "Monthly"));
        item.put("OrderId", reductionId);
        item.put("OriginalOrderItemId", original.get("Id"));
        salesforce.create("OrderItem", item);
        salesforce.update("Order", reductionId, Map.of("Status", "Activated"));
        return reductionId;
    }

    private String firstLineOf(String orderId) {
        return String.valueOf(sandbox.salesforce().records("OrderItem").stream()
                .filter(i -> orderId.equals(i.get("OrderId"))).findFirst().orElseThrow().get("OrderItemNumber"));
    }

    private List<Map<String, Object>> cancelledSeatsOf(String orderNumber) {
        return subscriptionsOf(orderNumber).stream().filter(s -> s.get("cancelledDate") != null).toList();
    }

    /** A sales rep amends the order: an Amendment order naming it, +seats on its first product, then activated. */
    private String activatedAmendment(String account, String orderId, int seats) {
        return activatedAmendment(account, orderId, seats, LocalDate.now());
    }

    private String activatedAmendment(String account, String orderId, int seats, LocalDate effective) {
        Map<String, Object> original = sandbox.salesforce().records("OrderItem").stream()
                .filter(i -> orderId.equals(i.get("OrderId"))).findFirst().orElseThrow();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AccountId", account);
        order.put("Status", "Draft");
        order.put("Type", "Amendment");
        order.put("Amended_Order__c", orderId);
        order.put("EffectiveDate", effective.toString());
        order.put("CurrencyIsoCode", "USD");
        order.put("TotalAmount", seats * 10.0);
        String amendmentId = salesforce.create("Order", order);
        Map<String, Object> item = new LinkedHashMap<>(orderLine("STANDARD", "Recurring", seats, 10, "Monthly"));
        item.put("OrderId", amendmentId);
        item.put("Amended_Order_Item__c", original.get("Id"));
        salesforce.create("OrderItem", item);
        salesforce.update("Order", amendmentId, Map.of("Status", "Activated"));
        return amendmentId;
    }

    private String syncedAccount(String name) {
        return SandboxSalesforce.syncedAccount(salesforce, name, erp, billing);
    }

    private List<Map<String, Object>> salesOf(String reference) {
        return sandbox.tryton().sales().stream().filter(s -> reference.equals(s.get("reference"))).toList();
    }

    private List<Map<String, Object>> subscriptionsOf(String prefix) {
        return sandbox.killBill().subscriptions().stream()
                .filter(s -> String.valueOf(s.get("externalKey")).startsWith(prefix + "-")).toList();
    }

    private long lag(KafkaTopic topic) {
        return List.of("erp-contract-change-sync", "billing-contract-change", "salesforce-contract-change-writeback")
                .stream().mapToLong(topic::lag).sum();
    }

    private List<Map<String, Object>> deadLettersFor(String businessKey) throws Exception {
        return Sql.rows(dataSource, "SELECT * FROM dead_letter WHERE business_key = ? AND status = 'open'", businessKey);
    }
}
