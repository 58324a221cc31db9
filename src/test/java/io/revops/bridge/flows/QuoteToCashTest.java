package io.revops.bridge.flows;

import static io.restassured.RestAssured.given;
import static io.revops.bridge.testing.SandboxSalesforce.activatedOrder;
import static io.revops.bridge.testing.SandboxSalesforce.orderLine;
import static io.revops.bridge.testing.SandboxSalesforce.orderNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.billing.BillingPayments;
import io.revops.bridge.canonical.CanonicalSchemas;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.erp.TrytonClient;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.sandbox.killbill.KillBillEmulator.InvoiceSummary;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * Black-box quote-to-cash: orders activated in the emulated Salesforce (driven through its REST API, as a sales rep
 * would), through the real Kafka broker, into the emulated Tryton (sales, invoices, payments) and Kill Bill
 * (subscriptions, invoices, payments), and back to Salesforce. Every outcome is read back from the systems.
 */
@QuarkusTest
class QuoteToCashTest {
    private static final Duration FLOW = Duration.ofSeconds(45);

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    BillingAccounts billing;
    @Inject
    BillingPayments payments;
    @Inject
    CamelContext camel;
    @Inject
    DataSource dataSource;
    @Inject
    Json json;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private SalesforceRest salesforce;
    private TrytonClient tryton;

    @BeforeEach
    void connect() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        tryton = new TrytonClient(sandbox.tryton().baseUrl(), "tryton", "admin", "admin", Duration.ofSeconds(10));
    }

    @Test
    void anActivatedOrderIsSoldInvoicedAndPaidAcrossAllSystems() {
        String account = syncedAccount("Acme Rockets");
        String orderId = activatedOrder(salesforce, account, orderLine("ONBOARDING", "One-Time", 1, 500, null),
                orderLine("STANDARD", "Recurring", 2, 10, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);

        // one ERP sale on our key, confirmed; the ERP's acceptance is on the Salesforce order
        await().atMost(FLOW).untilAsserted(() -> {
            JsonNode order = salesforce.get("Order", orderId);
            assertThat(order.path("ERP_Status__c").asText()).isEqualTo("Accepted");
            assertThat(salesOf(orderNumber)).singleElement().satisfies(sale -> assertThat(sale)
                    .containsEntry("number", order.path("ERP_Sale_Number__c").asText()).containsEntry("state", "processing"));
            assertThat(order.path("Billing_Status__c").asText()).startsWith("Active: 2");
        });
        // two seats of the monthly product: two subscriptions on the catalog's plan, keyed per order line and unit
        assertThat(subscriptionsOf(orderNumber)).extracting(s -> s.get("planName"))
                .containsExactly("standard-monthly", "standard-monthly");

        // billing invoices the subscriptions; each is booked once in the ERP and shown in Salesforce
        List<InvoiceSummary> billed = await().atMost(FLOW).until(() -> billingInvoicesOf(account),
                invoices -> invoices.stream().map(InvoiceSummary::amount).reduce(BigDecimal.ZERO, BigDecimal::add)
                        .compareTo(new BigDecimal("20")) == 0);
        for (InvoiceSummary invoice : billed) {
            String number = "KB-" + invoice.invoiceNumber();
            await().atMost(FLOW).untilAsserted(() -> assertThat(salesforceInvoice(number))
                    .satisfies(i -> assertThat(i.get("Status__c")).isEqualTo("Posted"))
                    .satisfies(i -> assertThat(i.get("Order_Number__c")).isEqualTo(orderNumber))
                    .satisfies(i -> assertThat(decimal(i.get("Total_Amount__c"))).isEqualByComparingTo(invoice.amount())));
            assertThat(erpInvoicesWithReference(number)).hasSize(1);
        }

        // the ERP invoices the one-time line from the sale; once the accountant posts it, Salesforce shows it
        Map<String, Object> saleInvoice = await().atMost(FLOW).until(() -> erpInvoicesOfSale(account), l -> l.size() == 1).get(0);
        tryton.call("model.account.invoice.post", List.of(saleInvoice.get("id")));
        String saleInvoiceNumber = await().atMost(FLOW).until(() -> (String) erpInvoice(saleInvoice.get("id")).get("number"),
                n -> n != null);
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforceInvoice(saleInvoiceNumber))
                .satisfies(i -> assertThat(i.get("Source_System__c")).isEqualTo("erp"))
                .satisfies(i -> assertThat(i.get("Order_Number__c")).isEqualTo(orderNumber))
                .satisfies(i -> assertThat(decimal(i.get("Total_Amount__c"))).isEqualByComparingTo("500")));

        // the customer pays the first billing invoice in full and the second in part
        InvoiceSummary first = billed.get(0);
        pay(first, first.amount());
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforceInvoice("KB-" + first.invoiceNumber()))
                .satisfies(i -> assertThat(i.get("Status__c")).isEqualTo("Paid"))
                .satisfies(i -> assertThat(decimal(i.get("Balance__c"))).isEqualByComparingTo("0")));
        assertThat(erpInvoicesWithReference("KB-" + first.invoiceNumber())).singleElement()
                .satisfies(i -> assertThat(i.get("state")).isEqualTo("paid"));
        assertThat(balanceInBilling(first)).isEqualByComparingTo("0");

        InvoiceSummary second = billed.size() > 1 ? billed.get(1) : first;
        if (second != first) {
            pay(second, new BigDecimal("4.00"));
            BigDecimal rest = second.amount().subtract(new BigDecimal("4.00"));
            await().atMost(FLOW).untilAsserted(() -> assertThat(salesforceInvoice("KB-" + second.invoiceNumber()))
                    .satisfies(i -> assertThat(i.get("Status__c")).isEqualTo("Partially Paid"))
                    .satisfies(i -> assertThat(decimal(i.get("Balance__c"))).isEqualByComparingTo(rest)));
            assertThat(erpInvoicesWithReference("KB-" + second.invoiceNumber())).singleElement()
                    .satisfies(i -> assertThat(decimal(i.get("amountToPay"))).isEqualByComparingTo(rest));
            assertThat(balanceInBilling(second)).isEqualByComparingTo(rest);
        }

        // one correlation id follows the order through every system
        await().atMost(FLOW).untilAsserted(() -> assertThat(routesInLineage("order-" + orderNumber)).contains(
                "salesforce-order-inbound", "erp-order-sync", "billing-order-activation", "salesforce-order-writeback",
                "billing-invoice-inbound", "erp-invoice-posting", "erp-invoice-inbound", "salesforce-invoice-writeback",
                "billing-payment-inbound", "erp-payment-posting"));
        assertThat(salesOf(orderNumber)).hasSize(1);
        everyCanonicalEventValidates("order-" + orderNumber);
    }

    @Test
    void anOrderActivatedBeforeItsAccountReachesTheErpWaitsAndCompletesOnce() throws Exception {
        camel.getRouteController().stopRoute("erp-account-sync");
        String account;
        String orderNumber;
        try {
            account = salesforce.create("Account", account("Late Arrivals Inc"));
            String orderId = activatedOrder(salesforce, account, orderLine("ONBOARDING", "One-Time", 1, 500, null));
            orderNumber = orderNumber(salesforce, orderId);
            String waiting = orderNumber;
            await().atMost(FLOW).until(() -> outcomesInLineage("order-" + waiting, "erp-order-sync").contains("parked"));
            assertThat(salesOf(orderNumber)).isEmpty();
        } finally {
            camel.getRouteController().startRoute("erp-account-sync");
        }
        String done = orderNumber;
        await().atMost(FLOW).until(() -> salesOf(done).size() == 1);
        assertThat(partiesWithKey(account)).hasSize(1);
        assertThat(deadLettersFor(orderNumber)).isEmpty();
        await().atMost(FLOW).until(() -> outcomesInLineage("order-" + done, "erp-order-sync").contains("applied"));
        assertThat(salesOf(orderNumber)).hasSize(1);
    }

    @Test
    void anUnknownProductIsOneBusinessExceptionWithAReadableReasonAndNoSale() throws Exception {
        String account = syncedAccount("Gold Plating Ltd");
        String orderId = activatedOrder(salesforce, account, orderLine("GOLD-PLATING", "One-Time", 1, 99, null));
        String orderNumber = orderNumber(salesforce, orderId);

        Map<String, Object> deadLetter = await().atMost(FLOW).until(() -> deadLettersFor(orderNumber), l -> !l.isEmpty()).get(0);
        assertThat(deadLetter).containsEntry("route_id", "erp-order-sync").containsEntry("category", "business")
                .containsEntry("reason_code", "unknown-product");
        assertThat((String) deadLetter.get("exception_message")).contains("GOLD-PLATING").contains("mappings/products.json");
        assertThat(deadLettersFor(orderNumber)).hasSize(1);
        assertThat(salesOf(orderNumber)).isEmpty();
    }

    @Test
    void anErpRejectionIsWrittenBackWithTheErpsReasonAndParkedAsABusinessException() throws Exception {
        String account = syncedAccount("Over Extended LLC");
        sandbox.tryton().holdCredit(account);
        String orderId = activatedOrder(salesforce, account, orderLine("ONBOARDING", "One-Time", 1, 500, null));
        String orderNumber = orderNumber(salesforce, orderId);

        await().atMost(FLOW).untilAsserted(() -> {
            JsonNode order = salesforce.get("Order", orderId);
            assertThat(order.path("ERP_Status__c").asText()).isEqualTo("Rejected");
            assertThat(order.path("ERP_Status_Reason__c").asText()).startsWith("credit-hold: ").contains("credit limit");
        });
        assertThat(await().atMost(FLOW).until(() -> deadLettersFor(orderNumber), l -> !l.isEmpty())).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("category", "business").containsEntry("reason_code", "credit-hold"));
        assertThat(subscriptionsOf(orderNumber)).isEmpty();
    }

    @Test
    void billingDownAfterTheErpAcceptedHoldsTheOrderUntilBillingIsBack() throws Exception {
        String account = syncedAccount("Patient Customer GmbH");
        sandbox.killBill().failNextCalls(10_000, 503);
        String orderNumber;
        try {
            String orderId = activatedOrder(salesforce, account, orderLine("PREMIUM", "Recurring", 1, 25, "Monthly"));
            orderNumber = orderNumber(salesforce, orderId);
            String held = orderNumber;
            await().atMost(FLOW).until(() -> salesOf(held).size() == 1);
            await().atMost(FLOW).until(() -> outcomesInLineage("order-" + held, "billing-order-activation").contains("held"));
            assertThat(deadLettersFor(orderNumber)).isEmpty();
        } finally {
            sandbox.killBill().failNextCalls(0, 503);
        }
        String done = orderNumber;
        await().atMost(FLOW).until(() -> subscriptionsOf(done).size() == 1);
        assertThat(deadLettersFor(orderNumber)).isEmpty();
        assertThat(salesOf(orderNumber)).hasSize(1);
    }

    @Test
    void billingRefusingTheActivationParksTheOrderWithTheContextToRepairIt() throws Exception {
        String account = syncedAccount("Refused Subscriptions Co");
        sandbox.killBill().failNextCalls("POST /1.0/kb/subscriptions", 1, 400);
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 100, "Annual"));
        String orderNumber = orderNumber(salesforce, orderId);

        Map<String, Object> deadLetter = await().atMost(FLOW).until(() -> deadLettersFor(orderNumber), l -> !l.isEmpty()).get(0);
        assertThat(deadLetter).containsEntry("route_id", "billing-order-activation").containsEntry("category", "business")
                .containsEntry("reason_code", "billing-activation-failed");
        assertThat((String) deadLetter.get("exception_message")).contains(orderNumber).contains(account);
        assertThat(salesOf(orderNumber)).as("the ERP accepted the order before billing refused").hasSize(1);

        // repair path: replay the dead letter once the cause is fixed; only the missing subscription is created
        given().auth().preemptive().basic("operator", "operator").contentType("application/json")
                .body(Map.of("reason", "plan fixed in the billing catalog"))
                .post("/api/v1/dead-letters/" + deadLetter.get("id") + "/replay").then().statusCode(202);
        await().atMost(FLOW).until(() -> subscriptionsOf(orderNumber).size() == 1);
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforce.get("Order", orderId).path("Billing_Status__c").asText())
                .startsWith("Active: 1"));
    }

    @Test
    void duplicateAndOutOfOrderDeliveriesCauseNoDoubleEffects() throws Exception {
        String account = syncedAccount("Echo Echo Inc");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 10, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> subscriptionsOf(orderNumber).size() == 1);
        InvoiceSummary invoice = await().atMost(FLOW).until(() -> billingInvoicesOf(account), l -> !l.isEmpty()).get(0);
        String number = "KB-" + invoice.invoiceNumber();
        await().atMost(FLOW).until(() -> erpInvoicesWithReference(number).size() == 1);

        // Salesforce delivers the activation again, and the ERP's acceptance is published again
        sandbox.salesforce().redeliver("/data/OrderChangeEvent",
                sandbox.salesforce().replayIdOfRecord("/data/OrderChangeEvent", orderId, "UPDATE"));
        KafkaTopic orders = new KafkaTopic(bootstrap, "revops.order.v1");
        KafkaTopic.Event accepted = orders.readAll().stream().filter(e -> orderNumber.equals(e.header("ce_subject")))
                .filter(e -> "revops.order.accepted.v1".equals(e.header("ce_type"))).findFirst().orElseThrow();
        orders.publish(accepted);
        await().atMost(FLOW).until(() -> orders.readAll().stream().filter(e -> accepted.header("ce_id").equals(e.header("ce_id"))).count() == 2
                && orders.committedOffset("billing-order-activation", accepted.partition()) > lastOffset(orders, accepted.header("ce_id")));

        // a payment billing records before the ERP booked the invoice it pays waits for it
        camel.getRouteController().stopRoute("erp-invoice-posting");
        InvoiceSummary unbooked;
        try {
            String second = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 10, "Monthly"));
            String secondNumber = orderNumber(salesforce, second);
            await().atMost(FLOW).until(() -> subscriptionsOf(secondNumber).size() == 1);
            unbooked = await().atMost(FLOW).until(() -> billingInvoicesOf(account), l -> l.size() == 2).stream()
                    .filter(i -> !i.invoiceId().equals(invoice.invoiceId())).findFirst().orElseThrow();
            pay(unbooked, unbooked.amount());
            await().atMost(FLOW).until(() -> hasOutcome("erp-payment-posting", "parked"));
        } finally {
            camel.getRouteController().startRoute("erp-invoice-posting");
        }
        String unbookedNumber = "KB-" + unbooked.invoiceNumber();
        await().atMost(FLOW).untilAsserted(() -> assertThat(erpInvoicesWithReference(unbookedNumber)).singleElement()
                .satisfies(i -> assertThat(i.get("state")).isEqualTo("paid")));

        assertThat(salesOf(orderNumber)).hasSize(1);
        assertThat(subscriptionsOf(orderNumber)).hasSize(1);
        assertThat(erpInvoicesWithReference(number)).hasSize(1);
        assertThat(deadLettersFor(orderNumber)).isEmpty();
    }

    // ---- Salesforce, as a sales rep uses it

    private String syncedAccount(String name) {
        return SandboxSalesforce.syncedAccount(salesforce, name, erp, billing);
    }

    private static Map<String, Object> account(String name) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", name);
        fields.put("BillingStreet", "1 Order Way");
        fields.put("BillingCity", "Springfield");
        fields.put("BillingPostalCode", "12345");
        fields.put("CurrencyIsoCode", "USD");
        return fields;
    }

    private Map<String, Object> salesforceInvoice(String number) {
        return sandbox.salesforce().records("Invoice__c").stream().filter(i -> number.equals(i.get("Invoice_Number__c")))
                .findFirst().orElseThrow(() -> new AssertionError("no Invoice__c " + number + " in Salesforce"));
    }

    // ---- the ERP and billing, read back through the emulators' own records

    private List<Map<String, Object>> salesOf(String orderNumber) {
        return sandbox.tryton().sales().stream().filter(s -> orderNumber.equals(s.get("reference"))).toList();
    }

    private List<Map<String, Object>> erpInvoicesWithReference(String reference) {
        return sandbox.tryton().invoices().stream().filter(i -> reference.equals(i.get("reference"))).toList();
    }

    /** The ERP's own invoices of a customer: not booked from billing (whose reference is the billing number). */
    private List<Map<String, Object>> erpInvoicesOfSale(String account) {
        String customer = erp.find(account).orElseThrow().customerNumber();
        return sandbox.tryton().invoices().stream().filter(i -> customer.equals(i.get("party")))
                .filter(i -> !String.valueOf(i.get("reference")).startsWith("KB-")).toList();
    }

    private Map<String, Object> erpInvoice(Object id) {
        return sandbox.tryton().invoices().stream().filter(i -> id.equals(i.get("id"))).findFirst().orElseThrow();
    }

    private List<Map<String, Object>> partiesWithKey(String key) {
        return sandbox.tryton().parties().stream().filter(p -> ((List<?>) p.get("identifiers")).contains(key)).toList();
    }

    private List<Map<String, Object>> subscriptionsOf(String orderNumber) {
        return sandbox.killBill().subscriptions().stream()
                .filter(s -> String.valueOf(s.get("externalKey")).startsWith(orderNumber + "-")).toList();
    }

    private List<InvoiceSummary> billingInvoicesOf(String account) {
        return sandbox.killBill().invoices().stream().filter(i -> account.equals(i.accountExternalKey())).toList();
    }

    private BigDecimal balanceInBilling(InvoiceSummary invoice) {
        return sandbox.killBill().invoices().stream().filter(i -> i.invoiceId().equals(invoice.invoiceId())).findFirst()
                .orElseThrow().balance();
    }

    /** The customer pays: an external payment recorded in Kill Bill against the invoice. */
    private void pay(InvoiceSummary invoice, BigDecimal amount) {
        payments.recordExternalPayment(invoice.invoiceId(), amount);
    }

    // ---- the runtime's own records

    private Set<String> routesInLineage(String correlationId) {
        return given().auth().preemptive().basic("viewer", "viewer").queryParam("correlationId", correlationId)
                .get("/api/v1/lineage").then().statusCode(200).extract().jsonPath().getList("routeId", String.class)
                .stream().collect(Collectors.toSet());
    }

    private List<String> outcomesInLineage(String correlationId, String route) throws Exception {
        return Sql.rows(dataSource, "SELECT outcome FROM lineage WHERE correlation_id = ? AND route_id = ?", correlationId, route)
                .stream().map(r -> (String) r.get("outcome")).toList();
    }

    private boolean hasOutcome(String route, String outcome) throws Exception {
        return !Sql.rows(dataSource, "SELECT 1 FROM lineage WHERE route_id = ? AND outcome = ?", route, outcome).isEmpty();
    }

    private List<Map<String, Object>> deadLettersFor(String businessKey) throws Exception {
        return Sql.rows(dataSource, "SELECT * FROM dead_letter WHERE business_key = ? AND status = 'open'", businessKey);
    }

    private long lastOffset(KafkaTopic topic, String eventId) {
        return topic.readAll().stream().filter(e -> eventId.equals(e.header("ce_id"))).mapToLong(KafkaTopic.Event::offset)
                .max().orElseThrow();
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(String.valueOf(value));
    }

    /** The order's events (other tests put hostile events on the same topics on purpose). */
    private void everyCanonicalEventValidates(String correlationId) {
        for (String topic : List.of("revops.order.v1", "revops.invoice.v1", "revops.payment.v1")) {
            for (KafkaTopic.Event event : new KafkaTopic(bootstrap, topic).readAll()) {
                if (!correlationId.equals(event.header("ce_correlationid"))) {
                    continue;
                }
                JsonNode data = json.mapper().valueToTree(json.toTree(event.value()));
                assertThat(CanonicalSchemas.violations(CanonicalSchemas.objectOf(event.header("ce_type")), data))
                        .as("%s %s", event.header("ce_id"), event.value()).isEmpty();
            }
        }
    }
}
