package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * Billing invoices posted, payments applied and invoice changes read through the ERP adapter, asserted by
 * reading Tryton back over JSON-RPC. Runs against the emulator (default tier) and the real Tryton 6.0
 * (conformance tier); every test makes its own keys, so it can run again and again on the same database.
 */
abstract class ErpInvoicesContract extends TrytonContract {
    protected ErpInvoices invoices;
    protected ErpCustomers customers;
    protected ErpSales sales;

    @BeforeEach
    void connect() {
        invoices = new ErpInvoices(tryton);
        customers = new ErpCustomers(tryton);
        sales = new ErpSales(tryton);
    }

    @Test
    void aBillingInvoiceIsPostedOnceOnItsReference() {
        String key = customer();
        String reference = reference();

        ErpInvoice posted = invoices.post(billingInvoice(reference, key, "2", "10.00"));
        ErpInvoice again = invoices.post(billingInvoice(reference, key, "2", "10.00"));

        assertThat(posted.created()).isTrue();
        assertThat(posted.state()).isEqualTo("posted");
        assertThat(posted.number()).isNotBlank();
        assertThat(posted.reference()).isEqualTo(reference);
        assertThat(posted.totalAmount()).isEqualTo("20.00");
        assertThat(posted.amountToPay()).isEqualTo("20.00");
        assertThat(again).isEqualTo(new ErpInvoice(posted.invoiceId(), posted.number(), reference, "posted",
                posted.totalAmount(), posted.amountToPay(), false));
        assertThat(invoicesWithReference(reference)).hasSize(1);

        JsonNode read = invoiceRow(posted.invoiceId());
        assertThat(read.path("state").asText()).isEqualTo("posted");
        assertThat(read.path("type").asText()).isEqualTo("out");
        assertThat(read.path("party").asInt()).isEqualTo(customers.find(key).orElseThrow().partyId());
        assertThat(TrytonValues.decimal(read.get("total_amount"))).isEqualByComparingTo("20.00");
        assertThat(TrytonValues.date(read.get("invoice_date"))).isEqualTo(LocalDate.now());
        JsonNode line = tryton.call("model.account.invoice.line.read", read.get("lines"),
                List.of("product", "quantity", "unit_price", "description", "amount")).get(0);
        assertThat(line.path("quantity").decimalValue()).isEqualByComparingTo("2");
        assertThat(TrytonValues.decimal(line.get("unit_price"))).isEqualByComparingTo("10.00");
        assertThat(line.path("description").asText()).isEqualTo("standard-monthly");
    }

    @Test
    void aBillingCreditNoteIsPostedOnceWithANegativeTotal() {
        String key = customer();
        String reference = reference();

        // as mappings/erp/billing-invoice-to-erp-invoice books a credit: a negative quantity at the positive price
        ErpInvoice posted = invoices.post(billingInvoice(reference, key, "-1", "5.16"));
        ErpInvoice again = invoices.post(billingInvoice(reference, key, "-1", "5.16"));

        assertThat(posted.state()).isEqualTo("posted");
        assertThat(posted.totalAmount()).isEqualTo("-5.16");
        assertThat(again.created()).isFalse();
        assertThat(invoicesWithReference(reference)).hasSize(1);
        assertThat(invoiceRow(posted.invoiceId()).path("type").asText()).isEqualTo("out");
    }

    @Test
    void aFullPaymentMakesTheInvoicePaid() {
        String reference = postedInvoice("10.00");

        ErpInvoice paid = invoices.applyPayment(payment(reference, UUID.randomUUID().toString(), "10.00"));

        assertThat(paid.state()).isEqualTo("paid");
        assertThat(paid.amountToPay()).isEqualTo("0.00");
        JsonNode read = invoiceRow(paid.invoiceId());
        assertThat(read.path("state").asText()).isEqualTo("paid");
        assertThat(TrytonValues.decimal(read.get("amount_to_pay"))).isEqualByComparingTo("0");
    }

    @Test
    void aPartialPaymentLeavesTheRestToPay() {
        String reference = postedInvoice("10.00");

        ErpInvoice partly = invoices.applyPayment(payment(reference, UUID.randomUUID().toString(), "4.00"));

        assertThat(partly.state()).isEqualTo("posted");
        assertThat(partly.amountToPay()).isEqualTo("6.00");
        JsonNode read = invoiceRow(partly.invoiceId());
        assertThat(read.path("state").asText()).isEqualTo("posted");
        assertThat(TrytonValues.decimal(read.get("amount_to_pay"))).isEqualByComparingTo("6.00");

        ErpInvoice rest = invoices.applyPayment(payment(reference, UUID.randomUUID().toString(), "6.00"));
        assertThat(rest.state()).isEqualTo("paid");
        assertThat(invoiceRow(partly.invoiceId()).path("payment_lines")).hasSize(2);
    }

    @Test
    void theSamePaymentTwiceIsAppliedOnce() {
        String reference = postedInvoice("10.00");
        String paymentId = UUID.randomUUID().toString();

        ErpInvoice first = invoices.applyPayment(payment(reference, paymentId, "4.00"));
        ErpInvoice again = invoices.applyPayment(payment(reference, paymentId, "4.00"));

        assertThat(again).isEqualTo(first);
        assertThat(again.amountToPay()).isEqualTo("6.00");
        assertThat(invoiceRow(first.invoiceId()).path("payment_lines")).hasSize(1);
    }

    @Test
    void aPaymentAlreadyAppliedToAPaidInvoiceIsNotAnOverpayment() {
        String reference = postedInvoice("10.00");
        String paymentId = UUID.randomUUID().toString();
        invoices.applyPayment(payment(reference, paymentId, "10.00"));

        assertThat(invoices.applyPayment(payment(reference, paymentId, "10.00")).state()).isEqualTo("paid");
    }

    @Test
    void anOverpaymentIsRefused() {
        String reference = postedInvoice("10.00");
        String paymentId = UUID.randomUUID().toString();

        assertThatThrownBy(() -> invoices.applyPayment(payment(reference, paymentId, "12.00")))
                .isInstanceOf(BusinessException.class).hasMessageContaining("12.00").hasMessageContaining("10.00")
                .extracting(e -> ((BusinessException) e).reasonCode()).isEqualTo("overpayment");
        JsonNode read = invoiceRow(invoicesWithReference(reference).get(0).asInt());
        assertThat(read.path("payment_lines")).isEmpty();
        assertThat(TrytonValues.decimal(read.get("amount_to_pay"))).isEqualByComparingTo("10.00");
    }

    @Test
    void aPaymentForAnInvoiceNotInTheErpWaits() {
        assertThatThrownBy(() -> invoices.applyPayment(payment(reference(), UUID.randomUUID().toString(), "1.00")))
                .isInstanceOf(PrerequisiteMissingException.class).hasMessageContaining("is not in the ERP yet")
                .extracting(e -> ((BusinessException) e).reasonCode()).isEqualTo("invoice-not-in-erp");
    }

    @Test
    void aPaymentForAnInvoiceStillInDraftWaits() {
        String reference = reference();
        int draft = draftSaleInvoice(customer());
        tryton.call("model.account.invoice.write", List.of(draft), Map.of("reference", reference));

        assertThatThrownBy(() -> invoices.applyPayment(payment(reference, UUID.randomUUID().toString(), "1.00")))
                .isInstanceOf(PrerequisiteMissingException.class).hasMessageContaining("is not posted in the ERP yet")
                .extracting(e -> ((BusinessException) e).reasonCode()).isEqualTo("invoice-not-in-erp");
        assertThat(invoiceRow(draft).path("payment_lines")).isEmpty();
    }

    @Test
    void anInvoiceForACustomerNotInTheErpYetWaits() {
        String key = "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
        String reference = reference();
        assertThatThrownBy(() -> invoices.post(billingInvoice(reference, key, "1", "10.00")))
                .isInstanceOf(PrerequisiteMissingException.class)
                .extracting(e -> ((BusinessException) e).reasonCode()).isEqualTo("customer-not-in-erp");
        assertThat(invoicesWithReference(reference)).isEmpty();
    }

    @Test
    void anInvoiceWithAnUnknownProductIsRefusedBeforeAnythingIsCreated() {
        String reference = reference();
        Map<String, Object> invoice = Map.of("reference", reference, "customerKey", customer(), "currency", "USD",
                "invoiceDate", LocalDate.now().toString(), "lines", List.of(Map.of("product", "SVC-9",
                        "description", "x", "quantity", "1", "unitPrice", "1.00")));
        assertThatThrownBy(() -> invoices.post(invoice)).isInstanceOf(BusinessException.class)
                .hasMessage("product SVC-9 is not in the ERP (invoice " + reference + ")")
                .extracting(e -> ((BusinessException) e).reasonCode()).isEqualTo("unknown-product");
        assertThat(invoicesWithReference(reference)).isEmpty();
    }

    @Test
    void changesShowThePostedInvoiceAndThenItsPayment() {
        String position = endOfChanges();
        String key = customer();
        String reference = reference();
        ErpInvoice posted = invoices.post(billingInvoice(reference, key, "1", "10.00"));

        ErpInvoiceChanges afterPosting = invoices.changedSince(position, 100);

        Map<String, Object> change = only(afterPosting.invoices(), posted.invoiceId());
        assertThat(change).containsEntry("number", posted.number()).containsEntry("reference", reference)
                .containsEntry("state", "posted").containsEntry("currency", "USD")
                .containsEntry("invoiceDate", LocalDate.now().toString())
                .containsEntry("dueDate", LocalDate.now().toString())
                .containsEntry("totalAmount", "10.00").containsEntry("amountToPay", "10.00")
                .containsEntry("customerKey", key)
                .containsEntry("customerNumber", customers.find(key).orElseThrow().customerNumber())
                .containsEntry("saleReference", null)
                .containsEntry("lines", List.of(Map.of("description", "standard-monthly", "productCode", "SVC-001",
                        "quantity", "1", "amount", "10.00")));
        assertThat(afterPosting.nextPosition()).isEqualTo(lastOf(afterPosting).get("changedAt"));

        invoices.applyPayment(payment(reference, UUID.randomUUID().toString(), "4.00"));
        ErpInvoiceChanges afterPayment = invoices.changedSince(afterPosting.nextPosition(), 100);

        assertThat(only(afterPayment.invoices(), posted.invoiceId()))
                .containsEntry("state", "posted").containsEntry("amountToPay", "6.00");
        assertThat(invoices.changedSince(afterPayment.nextPosition(), 100).invoices())
                .noneMatch(invoice -> invoice.get("id").equals(posted.invoiceId()));
    }

    @Test
    void theInvoiceOfAConfirmedSaleShowsOnceAnAccountantPostsIt() {
        String key = customer();
        String position = endOfChanges();
        String saleReference = "SO-" + UUID.randomUUID().toString().substring(0, 13);
        ErpSale sale = sales.place(Map.of("reference", saleReference, "customerKey", key, "currency", "USD",
                "lines", List.of(Map.of("product", "ONB-001", "quantity", "1", "unitPrice", "500.00",
                        "description", "Onboarding")),
                "comments", List.of("Recurring, billed by billing: Standard monthly x 2")));
        JsonNode saleInvoices = tryton.call("model.sale.sale.read", List.of(sale.saleId()), List.of("invoices"))
                .get(0).path("invoices");
        assertThat(saleInvoices).hasSize(1);
        int invoiceId = saleInvoices.get(0).asInt();
        JsonNode draft = invoiceRow(invoiceId);
        assertThat(draft.path("state").asText()).isEqualTo("draft");
        assertThat(draft.path("reference").isNull()).as("Tryton 6.0 leaves the reference of a sale's invoice empty").isTrue();
        assertThat(invoices.changedSince(position, 100).invoices()).noneMatch(i -> i.get("id").equals(invoiceId));

        tryton.call("model.account.invoice.post", List.of(invoiceId));

        Map<String, Object> change = only(invoices.changedSince(position, 100).invoices(), invoiceId);
        assertThat(change).containsEntry("saleReference", saleReference).containsEntry("reference", null)
                .containsEntry("state", "posted").containsEntry("totalAmount", "500.00")
                .containsEntry("customerKey", key)
                .containsEntry("lines", List.of(Map.of("description", "Onboarding", "productCode", "ONB-001",
                        "quantity", "1", "amount", "500.00")));
    }

    @Test
    void changesArePagedWithoutLosingInvoicesWrittenTogether() {
        String position = endOfChanges();
        String key = customer();
        List<Integer> posted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            posted.add(invoices.post(billingInvoice(reference(), key, "1", "10.00")).invoiceId());
        }
        List<Integer> seen = new ArrayList<>();
        ErpInvoiceChanges page = invoices.changedSince(position, 1);
        while (!page.invoices().isEmpty()) {
            assertThat(page.invoices()).hasSize(1);
            seen.add((Integer) page.invoices().get(0).get("id"));
            page = invoices.changedSince(page.nextPosition(), 1);
        }
        assertThat(seen).containsSubsequence(posted);
    }

    @Test
    void reconciliationFindsABookingByItsReferenceOrNumberWithThePaymentsAppliedToIt() {
        String key = customer();
        String reference = reference();
        ErpInvoice posted = invoices.post(billingInvoice(reference, key, "1", "10.00"));
        String paymentId = UUID.randomUUID().toString();
        invoices.applyPayment(payment(reference, paymentId, "4.00"));

        assertThat(invoices.postedWithReferences(List.of(reference, reference() /* none */))).singleElement()
                .satisfies(invoice -> assertThat(invoice).containsEntry("id", posted.invoiceId())
                        .containsEntry("reference", reference).containsEntry("totalAmount", "10.00")
                        .containsEntry("amountToPay", "6.00").containsEntry("customerKey", key));
        assertThat(invoices.postedByInvoiceNumber(reference)).get().extracting(i -> i.get("id")).isEqualTo(posted.invoiceId());
        assertThat(invoices.postedByInvoiceNumber(posted.number())).get().extracting(i -> i.get("id")).isEqualTo(posted.invoiceId());
        assertThat(invoices.postedAfterId(posted.invoiceId() - 1, 1)).singleElement()
                .satisfies(invoice -> assertThat(invoice).containsEntry("id", posted.invoiceId()));
        assertThat(invoices.appliedPayments(List.of(reference))).containsOnlyKeys(paymentId)
                .satisfies(applied -> assertThat(applied.get(paymentId)).singleElement()
                        .satisfies(amount -> assertThat(amount).isEqualByComparingTo("4.00")));
        assertThat(invoices.appliedPayments(List.of(reference()))).isEmpty();
    }

    protected String customer() {
        String key = "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
        customers.upsert(Map.of("key", key, "name", "Acme " + key, "address", Map.of("city", "Springfield")));
        return key;
    }

    protected static String reference() {
        return "KB-" + UUID.randomUUID();
    }

    private String postedInvoice(String amount) {
        String reference = reference();
        invoices.post(billingInvoice(reference, customer(), "1", amount));
        return reference;
    }

    protected static Map<String, Object> billingInvoice(String reference, String key, String quantity, String price) {
        return Map.of("reference", reference, "customerKey", key, "currency", "USD",
                "invoiceDate", LocalDate.now().toString(), "lines", List.of(Map.of("product", "SVC-001",
                        "description", "standard-monthly", "quantity", quantity, "unitPrice", price)));
    }

    protected static Map<String, Object> payment(String invoiceReference, String paymentId, String amount) {
        return Map.of("invoiceReference", invoiceReference, "paymentId", paymentId, "amount", amount,
                "currency", "USD", "date", LocalDate.now().toString());
    }

    /** The draft invoice Tryton makes when a sale is confirmed. */
    protected int draftSaleInvoice(String key) {
        ErpSale sale = sales.place(Map.of("reference", "SO-" + UUID.randomUUID().toString().substring(0, 13),
                "customerKey", key, "currency", "USD", "lines", List.of(Map.of("product", "SVC-001",
                        "quantity", "1", "unitPrice", "10.00", "description", "Standard monthly"))));
        return tryton.call("model.sale.sale.read", List.of(sale.saleId()), List.of("invoices")).get(0)
                .path("invoices").get(0).asInt();
    }

    /** The position after every change so far (the real database keeps what earlier runs left). */
    private String endOfChanges() {
        ErpInvoiceChanges page = invoices.changedSince(null, 500);
        String position = page.nextPosition();
        while (!page.invoices().isEmpty()) {
            position = page.nextPosition();
            page = invoices.changedSince(position, 500);
        }
        return position;
    }

    private static Map<String, Object> only(List<Map<String, Object>> changes, int invoiceId) {
        List<Map<String, Object>> matching = changes.stream().filter(i -> i.get("id").equals(invoiceId)).toList();
        assertThat(matching).as("changes of invoice %s in %s", invoiceId, changes).hasSize(1);
        return matching.get(0);
    }

    private static Map<String, Object> lastOf(ErpInvoiceChanges changes) {
        return changes.invoices().get(changes.invoices().size() - 1);
    }

    protected JsonNode invoiceRow(int invoiceId) {
        return tryton.call("model.account.invoice.read", List.of(invoiceId), List.of("state", "type", "party",
                "reference", "total_amount", "amount_to_pay", "invoice_date", "lines", "payment_lines")).get(0);
    }

    protected JsonNode invoicesWithReference(String reference) {
        return tryton.call("model.account.invoice.search", List.of(List.of("reference", "=", reference)), 0, null, null);
    }
}
