package io.revops.bridge.flows;

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

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.billing.BillingCredits;
import io.revops.bridge.billing.BillingPayments;
import io.revops.bridge.canonical.CanonicalSchemas;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.sandbox.killbill.KillBillEmulator.InvoiceSummary;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * Black-box credits and refunds: a Credit__c approved in the emulated org (through its REST API, as a billing clerk
 * would), through the real Kafka broker, accepted in the emulated Tryton first (a credit note set against the credited
 * invoice), then applied in the emulated Kill Bill (an invoice item adjustment, a refund), and shown in Salesforce
 * (on the Credit__c and on Invoice__c). Every outcome is read back from the systems.
 */
@QuarkusTest
class CreditsTest {
    private static final Duration FLOW = Duration.ofSeconds(45);
    private static final String TOPIC = "revops.contract-change.v1";
    private static final String CDC = "/data/Credit__ChangeEvent";

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    BillingAccounts billing;
    @Inject
    BillingPayments payments;
    @Inject
    BillingCredits billingCredits;
    @Inject
    DataSource dataSource;
    @Inject
    Json json;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private SalesforceRest salesforce;

    @BeforeEach
    void connect() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
    }

    @Test
    void aCreditIsACreditNoteInTheErpThenAnAdjustmentInBillingAndLowersTheBalanceEverywhereOnceEvenWhenReplayed()
            throws Exception {
        String account = syncedAccount("Goodwill Credit Inc");
        Billed billed = billedOrder(account);

        String creditId = approved(credit(account, billed, "Credit", 4.0));
        String changeId = "CR-" + salesforce.get("Credit__c", creditId).path("Name").asText();

        // the ERP first: one credit note on our key, set against the credited invoice
        Map<String, Object> note = await().atMost(FLOW).until(() -> erpInvoicesWithReference(changeId),
                l -> l.size() == 1 && "posted".equals(l.get(0).get("state"))).get(0);
        assertThat(erpInvoicesWithReference(changeId)).as("one credit note").hasSize(1);
        assertThat(decimal(note.get("total"))).isEqualByComparingTo("-4.00");
        await().atMost(FLOW).untilAsserted(() -> assertThat(erpInvoicesWithReference(billed.number())).singleElement()
                .satisfies(i -> assertThat(decimal(i.get("amountToPay"))).isEqualByComparingTo("6.00")));
        // then billing: the credited invoice's balance goes down by an item adjustment
        await().atMost(FLOW).until(() -> balanceInBilling(billed.invoice()).compareTo(new BigDecimal("6.00")) == 0);
        // Salesforce shows the credit's progress, the credit note and the credited invoice's new balance
        await().atMost(FLOW).untilAsserted(() -> {
            JsonNode credit = salesforce.get("Credit__c", creditId);
            assertThat(credit.path("ERP_Status__c").asText()).isEqualTo("Accepted");
            assertThat(credit.path("ERP_Credit_Note_Number__c").asText()).isEqualTo(note.get("number"));
            assertThat(credit.path("Billing_Status__c").asText()).isEqualTo("Applied: adjusted invoice " + billed.number()
                    + ", balance 6.00");
            assertThat(salesforceInvoice(billed.number()))
                    .satisfies(i -> assertThat(decimal(i.get("Balance__c"))).isEqualByComparingTo("6.00"))
                    .satisfies(i -> assertThat(i.get("Status__c")).isEqualTo("Partially Paid"));
            assertThat(salesforceInvoice((String) note.get("number")))
                    .satisfies(i -> assertThat(decimal(i.get("Total_Amount__c"))).isEqualByComparingTo("-4.00"))
                    .satisfies(i -> assertThat(i.get("Source_System__c")).isEqualTo("erp"));
        });

        // Salesforce delivers the approval again, and Kafka delivers every event of the credit again
        sandbox.salesforce().redeliver(CDC, sandbox.salesforce().replayIdOfRecord(CDC, creditId, "UPDATE"));
        KafkaTopic changes = new KafkaTopic(bootstrap, TOPIC);
        List<KafkaTopic.Event> events = await().atMost(FLOW).until(() -> eventsOf(changes, changeId),
                l -> l.stream().filter(e -> e.header("ce_type").endsWith(".requested.v1")).count() == 2);
        assertThat(events.stream().filter(e -> e.header("ce_type").endsWith(".requested.v1")).map(e -> e.header("ce_id"))
                .distinct()).as("the redelivered approval is the same event").hasSize(1);
        assertThat(events).extracting(e -> e.header("ce_type")).contains("revops.contract-change.requested.v1",
                "revops.contract-change.accepted.v1", "revops.contract-change.billing-applied.v1");
        events.forEach(changes::publish);
        await().atMost(FLOW).until(() -> lag(changes) == 0);

        assertThat(erpInvoicesWithReference(changeId)).hasSize(1);
        assertThat(decimal(erpInvoicesWithReference(billed.number()).get(0).get("amountToPay"))).isEqualByComparingTo("6.00");
        assertThat(balanceInBilling(billed.invoice())).isEqualByComparingTo("6.00");
        assertThat(deadLettersFor(billed.orderNumber())).isEmpty();
        for (KafkaTopic.Event event : eventsOf(changes, changeId)) {
            JsonNode data = json.mapper().valueToTree(json.toTree(event.value()));
            assertThat(CanonicalSchemas.violations(CanonicalSchemas.objectOf(event.header("ce_type")), data))
                    .as("%s %s", event.header("ce_id"), event.value()).isEmpty();
        }
    }

    @Test
    void aRefundWaitsForTheErpToApplyThePaymentThenRefundsItInBillingOnce() throws Exception {
        String account = syncedAccount("Refunded Customer Ltd");
        Billed billed = billedOrder(account);
        String paymentId = payments.recordExternalPayment(billed.invoice().invoiceId(), new BigDecimal("10.00"));
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforceInvoice(billed.number()))
                .satisfies(i -> assertThat(i.get("Status__c")).isEqualTo("Paid")));

        Map<String, Object> refund = credit(account, billed, "Refund", 4.0);
        refund.put("Payment_Id__c", paymentId);
        String refundId = approved(refund);
        String changeId = "RF-" + salesforce.get("Credit__c", refundId).path("Name").asText();

        await().atMost(FLOW).until(() -> refundedInBilling(paymentId).compareTo(new BigDecimal("4.00")) == 0);
        await().atMost(FLOW).untilAsserted(() -> {
            JsonNode credit = salesforce.get("Credit__c", refundId);
            assertThat(credit.path("ERP_Status__c").asText()).isEqualTo("Accepted");
            assertThat(credit.path("Status_Reason__c").asText()).contains(paymentId);
            assertThat(credit.path("Billing_Status__c").asText()).startsWith("Applied: refunded on payment " + paymentId);
        });
        assertThat(erpInvoicesWithReference(changeId)).as("a refund is no invoice").isEmpty();
        assertRefundMoveInErp(changeId, "4.00");

        KafkaTopic changes = new KafkaTopic(bootstrap, TOPIC);
        sandbox.salesforce().redeliver(CDC, sandbox.salesforce().replayIdOfRecord(CDC, refundId, "UPDATE"));
        eventsOf(changes, changeId).forEach(changes::publish);
        await().atMost(FLOW).until(() -> lag(changes) == 0);
        assertThat(refundedInBilling(paymentId)).isEqualByComparingTo("4.00");
        assertRefundMoveInErp(changeId, "4.00");
        assertThat(deadLettersFor(billed.orderNumber())).isEmpty();
    }

    @Test
    void aCreditBillingRefusesAfterTheErpAcceptedItIsOneBusinessDeadLetterNamingTheCreditNoteToCompensate()
            throws Exception {
        String account = syncedAccount("Adjusted Elsewhere Corp");
        Billed billed = billedOrder(account);
        // someone adjusted the invoice in Kill Bill directly: 2.00 of its item is left there, the ERP still sees 10.00
        billingCredits.credit(Map.of("changeId", "KB-CLERK-" + billed.number(), "invoiceNumber", billed.number(),
                "amount", "8.00", "currency", "USD", "reason", "adjusted by a billing clerk", "erpCreditNote", "none"));

        String creditId = approved(credit(account, billed, "Credit", 4.0));
        String changeId = "CR-" + salesforce.get("Credit__c", creditId).path("Name").asText();

        Map<String, Object> deadLetter = await().atMost(FLOW).until(() -> deadLettersFor(billed.orderNumber()),
                l -> !l.isEmpty()).get(0);
        String creditNote = (String) erpInvoicesWithReference(changeId).get(0).get("number");
        assertThat(deadLetter).containsEntry("route_id", "billing-credit").containsEntry("reason_code", "billing-change-failed");
        assertThat((String) deadLetter.get("exception_message")).contains(changeId).contains(billed.number())
                .contains("compensate by cancelling ERP credit note " + creditNote);
        assertThat(deadLettersFor(billed.orderNumber())).hasSize(1);
        assertThat(balanceInBilling(billed.invoice())).isEqualByComparingTo("2.00");
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforce.get("Credit__c", creditId).path("ERP_Status__c")
                .asText()).isEqualTo("Accepted"));
        assertThat(salesforce.get("Credit__c", creditId).path("Billing_Status__c").isNull()).isTrue();
    }

    @Test
    void aCreditTheErpRefusesShowsRejectedWithItsReasonOnTheCreditAndIsOneBusinessDeadLetterWithNothingBooked()
            throws Exception {
        String account = syncedAccount("Overcredited \u00c9tablissements \"Dupont\"");
        Billed billed = billedOrder(account);

        String creditId = approved(credit(account, billed, "Credit", 25.0));
        String changeId = "CR-" + salesforce.get("Credit__c", creditId).path("Name").asText();

        await().atMost(FLOW).untilAsserted(() -> {
            JsonNode credit = salesforce.get("Credit__c", creditId);
            assertThat(credit.path("ERP_Status__c").asText()).isEqualTo("Rejected");
            assertThat(credit.path("Status_Reason__c").asText()).startsWith("invalid-change: credit " + changeId + " of 25")
                    .endsWith(" is more than the 10.00 total of invoice " + billed.number());
            assertThat(credit.path("ERP_Credit_Note_Number__c").isNull()).isTrue();
        });
        Map<String, Object> deadLetter = await().atMost(FLOW).until(() -> deadLettersFor(billed.orderNumber()),
                l -> !l.isEmpty()).get(0);
        assertThat(deadLetter).containsEntry("route_id", "erp-credit-acceptance").containsEntry("reason_code", "invalid-change");
        assertThat(deadLettersFor(billed.orderNumber())).hasSize(1);
        assertThat(erpInvoicesWithReference(changeId)).as("no credit note").isEmpty();
        assertThat(balanceInBilling(billed.invoice())).isEqualByComparingTo("10.00");
        assertThat(salesforce.get("Credit__c", creditId).path("Billing_Status__c").isNull()).isTrue();
        KafkaTopic changes = new KafkaTopic(bootstrap, TOPIC);
        assertThat(eventsOf(changes, changeId)).extracting(e -> e.header("ce_type"))
                .containsExactly("revops.contract-change.requested.v1", "revops.contract-change.rejected.v1");
    }

    /** Booked once in the ERP as money paid back: a posted cash move, receivable debited and cash credited. */
    private void assertRefundMoveInErp(String changeId, String amount) {
        assertThat(sandbox.tryton().moves().stream().filter(m -> changeId.equals(m.get("description"))).toList())
                .as("one ERP move for refund %s", changeId).singleElement().satisfies(move -> {
                    assertThat(move.get("state")).isEqualTo("posted");
                    assertThat((List<?>) move.get("lines")).hasSize(2).allSatisfy(line -> {
                        Map<?, ?> l = (Map<?, ?>) line;
                        assertThat(((BigDecimal) l.get("debit")).add((BigDecimal) l.get("credit"))).isEqualByComparingTo(amount);
                    });
                });
    }

    private record Billed(String orderNumber, InvoiceSummary invoice, String number) {
    }

    /** An activated order of one monthly seat, its first billing invoice booked in the ERP and shown in Salesforce. */
    private Billed billedOrder(String account) {
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 10, "Monthly"));
        String orderNumber = orderNumber(salesforce, orderId);
        InvoiceSummary invoice = await().atMost(FLOW).until(() -> sandbox.killBill().invoices().stream()
                .filter(i -> account.equals(i.accountExternalKey())).toList(), l -> l.size() == 1).get(0);
        String number = "KB-" + invoice.invoiceNumber();
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforceInvoice(number))
                .satisfies(i -> assertThat(i.get("Status__c")).isEqualTo("Posted")));
        return new Billed(orderNumber, invoice, number);
    }

    private Map<String, Object> credit(String account, Billed billed, String type, double amount) {
        Map<String, Object> credit = new LinkedHashMap<>();
        credit.put("Account__c", account);
        credit.put("Type__c", type);
        credit.put("Invoice__c", salesforceInvoice(billed.number()).get("Id"));
        credit.put("Amount__c", amount);
        credit.put("CurrencyIsoCode", "USD");
        credit.put("Reason__c", "Outage on the 20th");
        credit.put("Status__c", "Draft");
        return credit;
    }

    /** A clerk drafts the credit, then approves it. */
    private String approved(Map<String, Object> credit) {
        String id = salesforce.create("Credit__c", credit);
        salesforce.update("Credit__c", id, Map.of("Status__c", "Approved"));
        return id;
    }

    private String syncedAccount(String name) {
        return SandboxSalesforce.syncedAccount(salesforce, name, erp, billing);
    }

    private Map<String, Object> salesforceInvoice(String number) {
        return sandbox.salesforce().records("Invoice__c").stream().filter(i -> number.equals(i.get("Invoice_Number__c")))
                .findFirst().orElseThrow(() -> new AssertionError("no Invoice__c " + number + " in Salesforce"));
    }

    private List<Map<String, Object>> erpInvoicesWithReference(String reference) {
        return sandbox.tryton().invoices().stream().filter(i -> reference.equals(i.get("reference"))).toList();
    }

    private BigDecimal balanceInBilling(InvoiceSummary invoice) {
        return sandbox.killBill().invoices().stream().filter(i -> i.invoiceId().equals(invoice.invoiceId())).findFirst()
                .orElseThrow().balance();
    }

    private BigDecimal refundedInBilling(String paymentId) {
        return sandbox.killBill().payments().stream().filter(p -> paymentId.equals(p.get("paymentId"))).findFirst()
                .map(p -> decimal(p.get("refundedAmount"))).orElseThrow();
    }

    private static List<KafkaTopic.Event> eventsOf(KafkaTopic changes, String changeId) {
        return changes.readAll().stream().filter(e -> ("credit-" + changeId).equals(e.header("ce_correlationid"))).toList();
    }

    private long lag(KafkaTopic topic) {
        return List.of("erp-credit-acceptance", "billing-credit", "salesforce-credit-writeback").stream().mapToLong(topic::lag).sum();
    }

    private List<Map<String, Object>> deadLettersFor(String businessKey) throws Exception {
        return Sql.rows(dataSource, "SELECT * FROM dead_letter WHERE business_key = ? AND status = 'open'", businessKey);
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(String.valueOf(value));
    }
}
