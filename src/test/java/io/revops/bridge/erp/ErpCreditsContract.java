package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * Credits booked as credit notes and refunds accepted through the ERP adapter, read back from Tryton over JSON-RPC.
 * Runs against the emulator (default tier) and the real Tryton 6.0 (conformance tier); every test makes its own keys.
 */
abstract class ErpCreditsContract extends TrytonContract {
    private ErpInvoices invoices;
    private ErpCustomers customers;
    private ErpCredits credits;

    @BeforeEach
    void connect() {
        invoices = new ErpInvoices(tryton);
        customers = new ErpCustomers(tryton);
        credits = new ErpCredits(tryton, invoices);
    }

    @Test
    void aCreditIsBookedOnceAsACreditNoteThatLowersWhatTheInvoiceOwes() {
        String key = customer();
        ErpInvoice invoice = invoices.post(billingInvoice(key));
        String changeId = changeId();

        ErpCreditAcceptance booked = credits.bookCredit(credit(changeId, key, invoice.reference(), "4.00"));
        ErpCreditAcceptance again = credits.bookCredit(credit(changeId, key, invoice.reference(), "4.00"));

        assertThat(booked.total()).isEqualByComparingTo("-4.00");
        assertThat(booked.invoiceAmountToPay()).isEqualByComparingTo("6.00");
        assertThat(booked.reason()).contains(booked.creditNoteNumber()).contains(invoice.reference());
        assertThat(again).isEqualTo(booked);
        JsonNode notes = tryton.call("model.account.invoice.search_read", List.of(List.of("reference", "=", changeId)),
                0, null, null, List.of("state", "type", "party", "total_amount", "amount_to_pay", "lines", "number"));
        assertThat(notes).hasSize(1);
        JsonNode note = notes.get(0);
        assertThat(note.path("state").asText()).isEqualTo("posted");
        assertThat(note.path("type").asText()).isEqualTo("out");
        assertThat(note.path("number").asText()).isEqualTo(booked.creditNoteNumber());
        assertThat(TrytonValues.decimal(note.get("total_amount"))).isEqualByComparingTo("-4.00");
        JsonNode line = tryton.call("model.account.invoice.line.read", note.get("lines"),
                List.of("quantity", "unit_price", "origin", "description", "product")).get(0);
        assertThat(line.path("quantity").decimalValue()).isEqualByComparingTo("-1");
        assertThat(TrytonValues.decimal(line.get("unit_price"))).isEqualByComparingTo("4.00");
        JsonNode creditedLine = invoiceRow(invoice.invoiceId()).path("lines").get(0);
        assertThat(line.path("origin").asText()).isEqualTo("account.invoice.line," + creditedLine.asInt());
        JsonNode credited = invoiceRow(invoice.invoiceId());
        assertThat(credited.path("state").asText()).isEqualTo("posted");
        assertThat(TrytonValues.decimal(credited.get("amount_to_pay"))).isEqualByComparingTo("6.00");
        assertThat(credited.path("payment_lines")).hasSize(1);
    }

    @Test
    void payingWhatIsLeftAfterACreditSettlesTheInvoiceAndItsCreditNote() {
        String key = customer();
        ErpInvoice invoice = invoices.post(billingInvoice(key));
        String changeId = changeId();
        credits.bookCredit(credit(changeId, key, invoice.reference(), "4.00"));

        ErpInvoice paid = invoices.applyPayment(payment(invoice.reference(), UUID.randomUUID().toString(), "6.00"));

        assertThat(paid.state()).isEqualTo("paid");
        JsonNode note = tryton.call("model.account.invoice.search_read", List.of(List.of("reference", "=", changeId)),
                0, null, null, List.of("state", "amount_to_pay")).get(0);
        assertThat(note.path("state").asText()).isEqualTo("paid");
        assertThat(TrytonValues.decimal(note.get("amount_to_pay"))).isEqualByComparingTo("0");
    }

    @Test
    void aCreditOnAPaidInvoiceStaysOpenOnTheCustomersAccount() {
        String key = customer();
        ErpInvoice invoice = invoices.post(billingInvoice(key));
        invoices.applyPayment(payment(invoice.reference(), UUID.randomUUID().toString(), "10.00"));
        String changeId = changeId();

        ErpCreditAcceptance booked = credits.bookCredit(credit(changeId, key, invoice.reference(), "4.00"));

        assertThat(booked.invoiceAmountToPay()).isEqualByComparingTo("0");
        JsonNode note = tryton.call("model.account.invoice.search_read", List.of(List.of("reference", "=", changeId)),
                0, null, null, List.of("state", "amount_to_pay")).get(0);
        assertThat(note.path("state").asText()).isEqualTo("posted");
        assertThat(TrytonValues.decimal(note.get("amount_to_pay"))).isEqualByComparingTo("-4.00");
        assertThat(invoiceRow(invoice.invoiceId()).path("state").asText()).isEqualTo("paid");
    }

    @Test
    void aCreditOfAnInvoiceNotInTheErpWaitsAndNothingIsBooked() {
        String changeId = changeId();
        String missing = ErpInvoicesContract.reference();

        assertThatThrownBy(() -> credits.bookCredit(credit(changeId, customer(), missing, "4.00")))
                .isInstanceOfSatisfying(PrerequisiteMissingException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("invoice-not-in-erp"))
                .hasMessageContaining(changeId).hasMessageContaining(missing);
        assertThat(creditNotes(changeId)).isEmpty();
    }

    @Test
    void aCreditOfMoreThanTheInvoiceOrOnAnotherCustomersInvoiceIsRefusedAndNothingIsBooked() {
        String key = customer();
        ErpInvoice invoice = invoices.post(billingInvoice(key));
        String tooMuch = changeId();
        String foreign = changeId();

        assertThatThrownBy(() -> credits.bookCredit(credit(tooMuch, key, invoice.reference(), "12.00")))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid-change"))
                .hasMessageContaining("12.00").hasMessageContaining("10.00");
        assertThatThrownBy(() -> credits.bookCredit(credit(foreign, customer(), invoice.reference(), "1.00")))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid-change"))
                .hasMessageContaining("another customer's");
        assertThat(creditNotes(tooMuch)).isEmpty();
        assertThat(creditNotes(foreign)).isEmpty();
        assertThat(TrytonValues.decimal(invoiceRow(invoice.invoiceId()).get("amount_to_pay"))).isEqualByComparingTo("10.00");
    }

    @Test
    void aRefundIsAcceptedOnceItsPaymentIsAppliedAndUpToWhatWasPaid() {
        String key = customer();
        ErpInvoice invoice = invoices.post(billingInvoice(key));
        String paymentId = UUID.randomUUID().toString();

        assertThatThrownBy(() -> credits.acceptRefund(refund(changeId(), key, invoice.reference(), paymentId, "4.00")))
                .isInstanceOfSatisfying(PrerequisiteMissingException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("payment-not-in-erp"));
        invoices.applyPayment(payment(invoice.reference(), paymentId, "6.00"));

        ErpCreditAcceptance accepted = credits.acceptRefund(refund(changeId(), key, invoice.reference(), paymentId, "4.00"));

        assertThat(accepted.creditNoteNumber()).isNull();
        assertThat(accepted.reason()).contains(paymentId).contains("6.00");
        assertThatThrownBy(() -> credits.acceptRefund(refund(changeId(), key, invoice.reference(), paymentId, "7.00")))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid-change"))
                .hasMessageContaining("7.00").hasMessageContaining("6.00");
    }

    @Test
    void aRefundIsBookedOnceAsMoneyPaidBackOnTheCashJournalSetAgainstTheCustomersOpenCreditNote() {
        String key = customer();
        ErpInvoice invoice = invoices.post(billingInvoice(key));
        String paymentId = UUID.randomUUID().toString();
        invoices.applyPayment(payment(invoice.reference(), paymentId, "10.00"));
        String creditId = changeId();
        credits.bookCredit(credit(creditId, key, invoice.reference(), "4.00")); // stays open: the invoice is paid
        String refundId = "RF-" + UUID.randomUUID().toString().substring(0, 13);

        ErpCreditAcceptance booked = credits.acceptRefund(refund(refundId, key, invoice.reference(), paymentId, "4.00"));
        ErpCreditAcceptance again = credits.acceptRefund(refund(refundId, key, invoice.reference(), paymentId, "4.00"));

        JsonNode note = tryton.call("model.account.invoice.search_read", List.of(List.of("reference", "=", creditId)),
                0, null, null, List.of("state", "amount_to_pay", "number", "payment_lines")).get(0);
        assertThat(booked.reason()).contains(refundId).contains("credit note " + note.path("number").asText());
        assertThat(again.reason()).contains(refundId);
        assertThat(note.path("state").asText()).isEqualTo("paid");
        assertThat(TrytonValues.decimal(note.get("amount_to_pay"))).isEqualByComparingTo("0");
        assertCashMovePayingBack(refundId, invoice.invoiceId(), "4.00");
    }

    @Test
    void aRefundWithoutAnOpenCreditNoteIsBookedOnceAsACashMoveOfItsOwn() {
        String key = customer();
        ErpInvoice invoice = invoices.post(billingInvoice(key));
        String paymentId = UUID.randomUUID().toString();
        invoices.applyPayment(payment(invoice.reference(), paymentId, "10.00"));
        String refundId = "RF-" + UUID.randomUUID().toString().substring(0, 13);

        credits.acceptRefund(refund(refundId, key, invoice.reference(), paymentId, "2.50"));
        credits.acceptRefund(refund(refundId, key, invoice.reference(), paymentId, "2.50"));

        assertCashMovePayingBack(refundId, invoice.invoiceId(), "2.50");
        assertThat(invoiceRow(invoice.invoiceId()).path("state").asText()).isEqualTo("paid");
    }

    /** One posted move on the cash journal: the customer's receivable debited, the payment method's cash credited. */
    private void assertCashMovePayingBack(String refundId, int invoiceId, String amount) {
        JsonNode moves = tryton.call("model.account.move.search_read", List.of(List.of("description", "=", refundId)),
                0, null, null, List.of("journal", "state", "lines"));
        assertThat(moves).as("one move for refund %s", refundId).hasSize(1);
        JsonNode method = tryton.call("model.account.invoice.payment.method.search_read", List.of(), 0, 1, null,
                List.of("journal", "credit_account")).get(0);
        assertThat(moves.get(0).path("journal").asInt()).isEqualTo(method.path("journal").asInt());
        assertThat(moves.get(0).path("state").asText()).isEqualTo("posted");
        int party = tryton.call("model.account.invoice.read", List.of(invoiceId), List.of("party")).get(0)
                .path("party").asInt();
        JsonNode lines = tryton.call("model.account.move.line.read", moves.get(0).get("lines"),
                List.of("account", "party", "debit", "credit"));
        assertThat(lines).hasSize(2);
        for (JsonNode line : lines) {
            if (line.path("account").asInt() == method.path("credit_account").asInt()) {
                assertThat(TrytonValues.decimal(line.get("credit"))).isEqualByComparingTo(amount);
            } else {
                assertThat(line.path("party").asInt()).isEqualTo(party);
                assertThat(TrytonValues.decimal(line.get("debit"))).isEqualByComparingTo(amount);
            }
        }
    }

    /**
     * The day invoices and credit notes are dated: today, or -Derp.contract.day when the Tryton under test has
     * already numbered an invoice of a later day (Tryton numbers a year's invoices in date order and refuses an
     * earlier date after a later one).
     */
    private static final String DAY = System.getProperty("erp.contract.day", LocalDate.now().toString());

    private Map<String, Object> billingInvoice(String key) {
        return Map.of("reference", ErpInvoicesContract.reference(), "customerKey", key, "currency", "USD",
                "invoiceDate", DAY, "lines", List.of(Map.of("product", "SVC-001", "description", "standard-monthly",
                        "quantity", "1", "unitPrice", "10.00")));
    }

    private String customer() {
        String key = "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
        customers.upsert(Map.of("key", key, "name", "Acme " + key, "address", Map.of("city", "Springfield")));
        return key;
    }

    private static String changeId() {
        return "CR-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static Map<String, Object> credit(String changeId, String key, String invoiceNumber, String amount) {
        return Map.of("changeId", changeId, "customerKey", key, "invoiceNumber", invoiceNumber, "amount", amount,
                "currency", "USD", "reason", "goodwill: outage", "date", DAY);
    }

    private static Map<String, Object> payment(String invoiceReference, String paymentId, String amount) {
        return Map.of("invoiceReference", invoiceReference, "paymentId", paymentId, "amount", amount,
                "currency", "USD", "date", DAY);
    }

    private static Map<String, Object> refund(String changeId, String key, String invoiceNumber, String paymentId,
            String amount) {
        return Map.of("changeId", changeId, "customerKey", key, "invoiceNumber", invoiceNumber, "paymentId", paymentId,
                "amount", amount, "currency", "USD", "date", DAY);
    }

    private JsonNode creditNotes(String changeId) {
        return tryton.call("model.account.invoice.search", List.of(List.of("reference", "=", changeId)), 0, null, null);
    }

    private JsonNode invoiceRow(int invoiceId) {
        return tryton.call("model.account.invoice.read", List.of(invoiceId), List.of("state", "lines", "amount_to_pay",
                "payment_lines")).get(0);
    }
}
