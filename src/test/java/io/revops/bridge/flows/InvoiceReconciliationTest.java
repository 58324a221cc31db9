package io.revops.bridge.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.billing.BillingPayments;
import io.revops.bridge.billing.BillingSubscriptions;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.erp.ErpInvoices;
import io.revops.bridge.erp.TrytonClient;
import io.revops.bridge.reconciliation.RepairRefusedException;
import io.revops.bridge.reconciliation.Drift;
import io.revops.bridge.reconciliation.DriftKind;
import io.revops.bridge.reconciliation.InvoiceReconciler;
import io.revops.bridge.reconciliation.ObjectReconciler;
import io.revops.bridge.reconciliation.PaymentReconciler;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.sandbox.killbill.KillBillEmulator.InvoiceSummary;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * Invoices and payments reconciled across Kill Bill, Tryton and Salesforce after drift behind the runtime's back:
 * an invoice paid out of band in Tryton, an Invoice__c edited by a user, a billing invoice and a payment whose events
 * were marked done without effect (as a discarded dead letter leaves them), an invoice booked twice. Each is found as
 * its kind; repair republishes from the system of record through the normal routes and fixes what it may; the next
 * reconciliation finds only what a person must decide, and the duplicate is still there.
 */
@QuarkusTest
class InvoiceReconciliationTest {
    private static final Duration FLOW = Duration.ofSeconds(45);

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    ErpInvoices erpInvoices;
    @Inject
    BillingAccounts billing;
    @Inject
    BillingSubscriptions subscriptions;
    @Inject
    BillingPayments payments;
    @Inject
    InvoiceReconciler invoices;
    @Inject
    PaymentReconciler paymentReconciler;
    @Inject
    CamelContext camel;

    private SalesforceRest salesforce;

    @BeforeEach
    void connect() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
    }

    @Test
    void invoiceDriftIsFoundAsItsKindRepairedThroughTheRoutesAndGoneFromTheNextRun() throws Exception {
        String account = syncedAccount("Vandelay Industries");
        String paidOutOfBand = "KB-" + subscribe(account).invoiceNumber();
        String editedByAUser = "KB-" + subscribe(account).invoiceNumber();
        String bookedTwice = "KB-" + subscribe(account).invoiceNumber();
        for (String number : List.of(paidOutOfBand, editedByAUser, bookedTwice)) {
            await().atMost(FLOW).until(() -> salesforceInvoice(number) != null);
        }
        String neverBooked = "KB-" + lostOn("erp-invoice-posting", () -> subscribe(account),
                invoice -> "billing:invoice:" + invoice.invoiceId()).invoiceNumber();
        Set<String> ours = Set.of(paidOutOfBand, editedByAUser, bookedTwice, neverBooked);

        erpInvoices.applyPayment(Map.of("invoiceReference", paidOutOfBand, "paymentId", "cheque-" + UUID.randomUUID(),
                "amount", "10.00", "currency", "USD", "date", LocalDate.now().toString()));
        await().atMost(FLOW).until(() -> "Paid".equals(salesforceInvoice(paidOutOfBand).get("Status__c")));
        salesforce.update("Invoice__c", (String) salesforceInvoice(editedByAUser).get("Id"),
                Map.of("Status__c", "Paid", "Balance__c", 0));
        bookTwice(account, bookedTwice);

        List<Drift> found = reconcile(invoices, ours);

        assertThat(found).extracting(InvoiceReconciliationTest::summary).containsExactlyInAnyOrder(
                paidOutOfBand + " amount-mismatch billing balance 0 != 10",
                editedByAUser + " status-mismatch salesforce status Posted != Paid",
                editedByAUser + " amount-mismatch salesforce balance 10 != 0",
                bookedTwice + " duplicate-in-target erp invoiceNumber 1 != 2",
                neverBooked + " missing-in-target erp null 10 != null");

        for (Drift drift : found) {
            boolean personMustDecide = drift.kind() == DriftKind.DUPLICATE_IN_TARGET || "billing".equals(drift.target());
            if (personMustDecide) {
                assertThatThrownBy(() -> invoices.repair(drift, repairId())).isInstanceOf(RepairRefusedException.class);
            } else {
                invoices.repair(drift, repairId());
            }
        }

        await().atMost(FLOW).untilAsserted(() -> {
            assertThat(sandbox.tryton().invoices()).filteredOn(i -> neverBooked.equals(i.get("reference"))).hasSize(1);
            assertThat(salesforceInvoice(neverBooked)).isNotNull().containsEntry("Status__c", "Posted");
            assertThat(salesforceInvoice(editedByAUser)).containsEntry("Status__c", "Posted");
            assertThat(new BigDecimal(salesforceInvoice(editedByAUser).get("Balance__c").toString())).isEqualByComparingTo("10");
        });
        assertThat(reconcile(invoices, ours)).as("what a person must decide stays; the duplicate is never deleted")
                .extracting(InvoiceReconciliationTest::summary).containsExactlyInAnyOrder(
                        paidOutOfBand + " amount-mismatch billing balance 0 != 10",
                        bookedTwice + " duplicate-in-target erp invoiceNumber 1 != 2");
        assertThat(sandbox.tryton().invoices()).filteredOn(i -> bookedTwice.equals(i.get("reference"))).hasSize(2);
    }

    @Test
    void aPaymentNeverAppliedInTheErpIsFoundAndRepairedOnce() throws Exception {
        String account = syncedAccount("Kramerica");
        InvoiceSummary invoice = subscribe(account);
        String number = "KB-" + invoice.invoiceNumber();
        await().atMost(FLOW).until(() -> salesforceInvoice(number) != null);
        String applied = payments.recordExternalPayment(invoice.invoiceId(), new BigDecimal("4.00"));
        await().atMost(FLOW).until(() -> amountToPay(number).compareTo(new BigDecimal("6.00")) == 0);
        String lost = lostOn("erp-payment-posting", () -> payments.recordExternalPayment(invoice.invoiceId(),
                new BigDecimal("3.00")), id -> "billing:payment:" + id);
        Set<String> ours = Set.of(applied, lost);

        List<Drift> found = reconcile(paymentReconciler, ours);

        assertThat(found).extracting(InvoiceReconciliationTest::summary)
                .containsExactly(lost + " missing-in-target erp null 3 != null");
        String repairId = repairId();
        paymentReconciler.repair(found.get(0), repairId);
        paymentReconciler.repair(found.get(0), repairId); // a retried repair is the same event: applied once
        await().atMost(FLOW).until(() -> amountToPay(number).compareTo(new BigDecimal("3.00")) == 0);
        assertThat(reconcile(paymentReconciler, ours)).isEmpty();
        await().atMost(FLOW).untilAsserted(() -> assertThat(salesforceInvoice(number)).containsEntry("Status__c", "Partially Paid"));
        assertThat(amountToPay(number)).isEqualByComparingTo("3.00");
    }

    /** Every page from the start, as a run does; only the drifts of this test's keys (others' data share the emulators). */
    private static List<Drift> reconcile(ObjectReconciler reconciler, Set<String> keys) throws Exception {
        List<Drift> drifts = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            cursor = reconciler.reconcilePage(cursor, drift -> {
                if (keys.contains(drift.businessKey())) {
                    drifts.add(drift);
                }
            });
            assertThat(++pages).as("pages of one run").isLessThan(10_000);
        } while (cursor != null);
        return drifts;
    }

    /**
     * Produces a record while the route that applies it is stopped and marks its event as applied there without
     * applying it: the event is gone, as when a dead letter is discarded.
     */
    private <T> T lostOn(String routeId, java.util.concurrent.Callable<T> produce, java.util.function.Function<T, String> eventId)
            throws Exception {
        camel.getRouteController().stopRoute(routeId);
        try {
            T record = produce.call();
            camel.getRegistry().lookupByNameAndType(routeId + "-idempotency", IdempotentRepository.class)
                    .add(eventId.apply(record));
            return record;
        } finally {
            camel.getRouteController().startRoute(routeId);
        }
    }

    /** Someone books the invoice a second time in the ERP by hand: another invoice, then given the same reference. */
    private void bookTwice(String account, String number) {
        String scratch = "KB-scratch-" + UUID.randomUUID();
        int id = erpInvoices.post(Map.of("reference", scratch, "customerKey", account, "currency", "USD",
                "invoiceDate", LocalDate.now().toString(), "lines", List.of(Map.of("product", "SVC-001",
                        "description", "standard-monthly", "quantity", "1", "unitPrice", "10.00")))).invoiceId();
        new TrytonClient(sandbox.tryton().baseUrl(), "tryton", "admin", "admin", Duration.ofSeconds(10))
                .call("model.account.invoice.write", List.of(id), Map.of("reference", number));
    }

    /** A new monthly subscription of the account; returns the invoice Kill Bill made for it (at once, in the emulator). */
    private InvoiceSummary subscribe(String account) {
        int before = billingInvoicesOf(account).size();
        String order = "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        subscriptions.activate(Map.of("accountKey", account, "orderNumber", order,
                "subscriptions", List.of(Map.of("externalKey", order + "-1-1", "planName", "standard-monthly"))));
        List<InvoiceSummary> after = await().atMost(FLOW).until(() -> billingInvoicesOf(account), l -> l.size() > before);
        return after.get(after.size() - 1);
    }

    private List<InvoiceSummary> billingInvoicesOf(String account) {
        return sandbox.killBill().invoices().stream().filter(i -> account.equals(i.accountExternalKey())).toList();
    }

    private String syncedAccount(String name) {
        return SandboxSalesforce.syncedAccount(salesforce, name, erp, billing);
    }

    private Map<String, Object> salesforceInvoice(String number) {
        return sandbox.salesforce().records("Invoice__c").stream().filter(i -> number.equals(i.get("Invoice_Number__c")))
                .findFirst().orElse(null);
    }

    private BigDecimal amountToPay(String reference) {
        return sandbox.tryton().invoices().stream().filter(i -> reference.equals(i.get("reference"))).findFirst()
                .map(i -> new BigDecimal(i.get("amountToPay").toString())).orElseThrow();
    }

    private static String repairId() {
        return UUID.randomUUID().toString();
    }

    private static String summary(Drift drift) {
        return drift.businessKey() + " " + drift.kind().wire() + " " + drift.target() + " " + drift.field() + " "
                + drift.expected() + " != " + drift.actual();
    }
}
