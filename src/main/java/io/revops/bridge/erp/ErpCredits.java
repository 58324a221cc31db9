package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * ERP system API for credits and refunds, which the ERP accepts before billing applies them. A credit is booked as
 * a Tryton credit note: a customer invoice whose line has a negative quantity, on the credited invoice's product and
 * revenue account, with the credited invoice line as its origin (what Tryton's own invoice "credit" action makes, for
 * a part of the invoice rather than all of it; reference = our change id, so a retry finds it and books once). Once
 * posted, its receivable line is added to the credited invoice's payment lines, so what is left to pay there goes
 * down (as measured on the real Tryton 6.0; both stay posted until an accountant reconciles them). A credit larger
 * than what is open on the invoice (a paid invoice) stays on the customer's account as an open credit note. A refund
 * is accepted once billing's payment is applied there and covers the amount, and booked as money paid back
 * ({@link RefundMoves}).
 */
@ApplicationScoped
@Named("erpCredits")
public class ErpCredits {
    private static final List<String> INVOICE_FIELDS = List.of("number", "reference", "state", "party", "currency",
            "invoice_address", "journal", "account", "payment_term", "total_amount", "amount_to_pay", "lines",
            "lines_to_pay", "payment_lines");
    private static final Set<String> BOOKED = Set.of("posted", "paid");

    private final TrytonClient tryton;
    private final TrytonLookups lookups;
    private final ErpInvoices invoices;
    private final RefundMoves refunds;
    private final KeyLocks locks = new KeyLocks();

    @Inject
    public ErpCredits(TrytonClient tryton, ErpInvoices invoices) {
        this.tryton = tryton;
        this.lookups = new TrytonLookups(tryton);
        this.invoices = invoices;
        this.refunds = new RefundMoves(tryton, lookups);
    }

    /**
     * @param credit changeId, customerKey, invoiceNumber (KB-<n> for billing's, else the ERP number), amount, currency,
     *               reason, date (yyyy-MM-dd)
     * @throws PrerequisiteMissingException invoice-not-in-erp: the credited invoice is not posted in the ERP yet
     * @throws BusinessException invalid-change (another customer's invoice, more than its total), currency-mismatch,
     *             erp-rejected (the invoice was cancelled)
     */
    public ErpCreditAcceptance bookCredit(Map<String, Object> credit) {
        String changeId = InputFields.required(credit, "changeId", "ERP credit");
        String what = "credit " + changeId;
        BigDecimal amount = InputFields.decimal(InputFields.required(credit, "amount", what), "amount of " + what);
        return locks.withLock(changeId, () -> {
            JsonNode invoice = creditedInvoice(credit, what);
            int digits = lookups.currency(invoice.path("currency").asInt()).digits();
            Integer existing = creditNote(changeId);
            if (existing == null && amount.compareTo(ErpInvoices.money(invoice.get("total_amount"), digits)) > 0) {
                throw new BusinessException("invalid-change", what + " of " + amount.toPlainString() + " is more than the "
                        + ErpInvoices.money(invoice.get("total_amount"), digits) + " total of invoice " + credit.get("invoiceNumber"));
            }
            int creditNoteId = existing != null ? existing : create(changeId, invoice, amount, credit);
            JsonNode note = read(creditNoteId);
            if (List.of("draft", "validated").contains(note.path("state").asText())) {
                tryton.call("model.account.invoice.post", List.of(creditNoteId));
                note = read(creditNoteId);
            }
            applyToInvoice(invoice, note, digits);
            JsonNode after = read(invoice.path("id").asInt());
            BigDecimal open = ErpInvoices.money(after.get("amount_to_pay"), digits);
            String number = note.path("number").asText();
            return new ErpCreditAcceptance(number, ErpInvoices.money(note.get("total_amount"), digits),
                    String.valueOf(credit.get("invoiceNumber")), open, "credit note " + number + " of "
                    + amount.toPlainString() + " " + credit.get("currency") + " on invoice " + credit.get("invoiceNumber")
                    + ", " + open.toPlainString() + " left to pay there");
        });
    }

    /**
     * @param refund changeId, customerKey, invoiceNumber (the invoice the payment paid), paymentId (billing's), amount,
     *               currency
     * @throws PrerequisiteMissingException invoice-not-in-erp, payment-not-in-erp: billing's payment is not applied yet
     * @throws BusinessException invalid-change: another customer's invoice, more than the payment applied
     */
    public ErpCreditAcceptance acceptRefund(Map<String, Object> refund) {
        String changeId = InputFields.required(refund, "changeId", "ERP refund");
        String what = "refund " + changeId;
        String paymentId = InputFields.required(refund, "paymentId", what);
        BigDecimal amount = InputFields.decimal(InputFields.required(refund, "amount", what), "amount of " + what);
        JsonNode invoice = creditedInvoice(refund, what);
        String reference = invoice.path("reference").asText(null);
        List<BigDecimal> applied = reference == null ? List.of()
                : invoices.appliedPayments(List.of(reference)).getOrDefault(paymentId, List.of());
        if (applied.isEmpty()) {
            throw new PrerequisiteMissingException("payment-not-in-erp", what + " refunds payment " + paymentId
                    + ", which the ERP has not applied to invoice " + refund.get("invoiceNumber") + " yet");
        }
        BigDecimal paid = applied.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (amount.compareTo(paid) > 0) {
            throw new BusinessException("invalid-change", what + " of " + amount.toPlainString() + " is more than the "
                    + paid.toPlainString() + " of payment " + paymentId + " on invoice " + refund.get("invoiceNumber"));
        }
        int digits = lookups.currency(invoice.path("currency").asInt()).digits();
        LocalDate date = InputFields.date(refund, "date", what);
        String booked = locks.withLock(changeId, () -> refunds.book(changeId, invoice, amount, date, digits));
        return new ErpCreditAcceptance(null, amount, String.valueOf(refund.get("invoiceNumber")),
                ErpInvoices.money(invoice.get("amount_to_pay"), digits), booked + "; payment " + paymentId + " of "
                + paid.toPlainString() + " was applied to invoice " + refund.get("invoiceNumber"));
    }

    /** The invoice a credit or refund names, booked in the ERP and the customer's, in the currency of the change. */
    private JsonNode creditedInvoice(Map<String, Object> change, String what) {
        String invoiceNumber = InputFields.required(change, "invoiceNumber", what);
        String field = invoiceNumber.startsWith("KB-") ? "reference" : "number";
        JsonNode found = tryton.call("model.account.invoice.search_read", List.of(List.of("type", "=", "out"),
                List.of(field, "=", invoiceNumber)), 0, 1, List.of(List.of("id", "ASC")), INVOICE_FIELDS);
        String state = found.isEmpty() ? null : found.get(0).path("state").asText();
        if (state == null || List.of("draft", "validated").contains(state)) {
            throw new PrerequisiteMissingException("invoice-not-in-erp", what + " applies to invoice " + invoiceNumber
                    + ", which is not posted in the ERP yet");
        }
        JsonNode invoice = found.get(0);
        if (!BOOKED.contains(state)) {
            throw new BusinessException("erp-rejected", what + " applies to invoice " + invoiceNumber + " (ERP "
                    + invoice.path("number").asText() + "), which is " + state + " in the ERP");
        }
        String customerKey = InputFields.required(change, "customerKey", what);
        if (lookups.customer(customerKey, what).partyId() != invoice.path("party").asInt()) {
            throw new BusinessException("invalid-change", what + " for account " + customerKey + " applies to invoice "
                    + invoiceNumber + ", which is another customer's");
        }
        TrytonLookups.Currency currency = lookups.currency(InputFields.required(change, "currency", what));
        if (currency.id() != invoice.path("currency").asInt()) {
            throw new BusinessException("currency-mismatch", what + " is in " + currency.code() + ", invoice "
                    + invoiceNumber + " in " + lookups.currency(invoice.path("currency").asInt()).code());
        }
        return invoice;
    }

    private Integer creditNote(String changeId) {
        JsonNode ids = tryton.call("model.account.invoice.search",
                List.of(List.of("type", "=", "out"), List.of("reference", "=", changeId)), 0, 1, List.of(List.of("id", "ASC")));
        return ids.isEmpty() ? null : ids.get(0).asInt();
    }

    /** One line taking the amount back off the credited invoice's first product line, as Tryton's credit does. */
    private int create(String changeId, JsonNode invoice, BigDecimal amount, Map<String, Object> credit) {
        JsonNode credited = null;
        for (JsonNode line : tryton.call("model.account.invoice.line.read", invoice.path("lines"),
                List.of("type", "product", "account", "unit", "description"))) {
            if ("line".equals(line.path("type").asText()) && credited == null) {
                credited = line;
            }
        }
        if (credited == null) {
            throw new BusinessException("invalid-change", "credit " + changeId + ": invoice " + credit.get("invoiceNumber")
                    + " has no product line to credit");
        }
        String reason = InputFields.required(credit, "reason", "credit " + changeId);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "line");
        line.put("product", credited.get("product").isNull() ? null : credited.get("product").asInt());
        line.put("account", credited.path("account").asInt());
        line.put("unit", credited.get("unit").isNull() ? null : credited.get("unit").asInt());
        line.put("quantity", -1.0);
        line.put("unit_price", TrytonValues.decimal(amount));
        line.put("description", reason);
        line.put("origin", "account.invoice.line," + credited.path("id").asInt());
        LocalDate date = InputFields.date(credit, "date", "credit " + changeId);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("type", "out");
        values.put("reference", changeId);
        values.put("description", "Credit " + changeId + " on invoice " + credit.get("invoiceNumber") + " (ERP "
                + invoice.path("number").asText() + "): " + reason);
        values.put("party", invoice.path("party").asInt());
        values.put("invoice_address", invoice.path("invoice_address").asInt());
        values.put("currency", invoice.path("currency").asInt());
        values.put("invoice_date", TrytonValues.date(date));
        values.put("journal", invoice.path("journal").asInt());
        values.put("account", invoice.path("account").asInt());
        values.put("payment_term", invoice.get("payment_term").isNull() ? null : invoice.get("payment_term").asInt());
        values.put("lines", List.of(List.of("create", List.of(line))));
        return tryton.call("model.account.invoice.create", List.of(values)).get(0).asInt();
    }

    /**
     * Adds the credit note's receivable line to the credited invoice's payment lines when the invoice still owes at
     * least the credit; otherwise (paid, or less open) the credit stays open on the customer's account.
     */
    private void applyToInvoice(JsonNode invoice, JsonNode note, int digits) {
        JsonNode receivable = note.path("lines_to_pay");
        if (receivable.isEmpty() || !"posted".equals(invoice.path("state").asText())) {
            return;
        }
        int line = receivable.get(0).asInt();
        for (JsonNode applied : invoice.path("payment_lines")) {
            if (applied.asInt() == line) {
                return;
            }
        }
        BigDecimal credit = ErpInvoices.money(note.get("total_amount"), digits).negate();
        if (credit.compareTo(ErpInvoices.money(invoice.get("amount_to_pay"), digits)) <= 0) {
            tryton.call("model.account.invoice.write", List.of(invoice.path("id").asInt()),
                    Map.of("payment_lines", List.of(List.of("add", List.of(line)))));
        }
    }

    private JsonNode read(int invoiceId) {
        return tryton.call("model.account.invoice.read", List.of(invoiceId), INVOICE_FIELDS).get(0);
    }
}
