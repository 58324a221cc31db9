package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A refund booked in Tryton as its accountant books money paid back: a move on the cash journal that credits cash and
 * debits the customer's receivable, its description the change id (how a retry finds it and books once). When the
 * customer has an open credit note that covers the refund, the move is made by Tryton's own Pay wizard on that credit
 * note with a negative amount (as measured on the real Tryton 6.0: a Cash-journal move debiting the receivable and
 * crediting the payment method's account, added to the credit note's payment lines, which then owes the customer
 * that much less; paid when nothing is left); else it is a move of its own on the cash journal, posted.
 */
final class RefundMoves {
    private final TrytonClient tryton;
    private final TrytonLookups lookups;
    private final PayInvoiceWizard payWizard;

    RefundMoves(TrytonClient tryton, TrytonLookups lookups) {
        this.tryton = tryton;
        this.lookups = lookups;
        this.payWizard = new PayInvoiceWizard(tryton);
    }

    /** What the ERP booked for the refund; a retry finds the move by its description and books nothing more. */
    String book(String changeId, JsonNode refundedInvoice, BigDecimal amount, LocalDate date, int digits) {
        String booked = "refund " + changeId + " of " + amount.toPlainString() + " paid back on the cash journal";
        Integer existing = move(changeId);
        if (existing != null) {
            return booked + " (ERP move " + existing + ")";
        }
        Integer creditNote = openCreditNote(refundedInvoice, amount, digits);
        if (creditNote != null) {
            payWizard.pay(creditNote, amount.negate(), refundedInvoice.path("currency").asInt(), lookups.paymentMethod(),
                    date, changeId);
            return booked + " (ERP move " + move(changeId) + "), set against credit note " + number(creditNote);
        }
        int move = tryton.call("model.account.move.create", List.of(move(changeId, refundedInvoice, amount, date)))
                .get(0).asInt();
        tryton.call("model.account.move.post", List.of(move));
        return booked + " (ERP move " + move + ")";
    }

    private Integer move(String changeId) {
        JsonNode ids = tryton.call("model.account.move.search", List.of(List.of("description", "=", changeId)), 0, 1,
                List.of(List.of("id", "ASC")));
        return ids.isEmpty() ? null : ids.get(0).asInt();
    }

    /** The customer's oldest posted credit note, in the refund's currency, that still owes at least the refund. */
    private Integer openCreditNote(JsonNode invoice, BigDecimal amount, int digits) {
        JsonNode notes = tryton.call("model.account.invoice.search_read", List.of(List.of("type", "=", "out"),
                List.of("state", "=", "posted"), List.of("party", "=", invoice.path("party").asInt()),
                List.of("currency", "=", invoice.path("currency").asInt())), 0, null, List.of(List.of("id", "ASC")),
                List.of("total_amount", "amount_to_pay"));
        for (JsonNode note : notes) {
            BigDecimal owed = ErpInvoices.money(note.get("amount_to_pay"), digits).negate();
            if (ErpInvoices.money(note.get("total_amount"), digits).signum() < 0 && owed.compareTo(amount) >= 0) {
                return note.path("id").asInt();
            }
        }
        return null;
    }

    private Map<String, Object> move(String changeId, JsonNode invoice, BigDecimal amount, LocalDate date) {
        JsonNode method = tryton.call("model.account.invoice.payment.method.read", List.of(lookups.paymentMethod()),
                List.of("journal", "credit_account")).get(0);
        JsonNode period = tryton.call("model.account.period.search", List.of(List.of("type", "=", "standard"),
                List.of("start_date", "<=", TrytonValues.date(date)), List.of("end_date", ">=", TrytonValues.date(date))),
                0, 1, null);
        Map<String, Object> receivable = new LinkedHashMap<>();
        receivable.put("account", invoice.path("account").asInt());
        receivable.put("party", invoice.path("party").asInt());
        receivable.put("debit", TrytonValues.decimal(amount));
        receivable.put("credit", TrytonValues.decimal(BigDecimal.ZERO));
        Map<String, Object> cash = new LinkedHashMap<>();
        cash.put("account", method.path("credit_account").asInt());
        cash.put("debit", TrytonValues.decimal(BigDecimal.ZERO));
        cash.put("credit", TrytonValues.decimal(amount));
        Map<String, Object> move = new LinkedHashMap<>();
        move.put("journal", method.path("journal").asInt());
        move.put("date", TrytonValues.date(date));
        if (!period.isEmpty()) {
            move.put("period", period.get(0).asInt());
        }
        move.put("description", changeId);
        move.put("lines", List.of(List.of("create", List.of(receivable, cash))));
        return move;
    }

    private String number(int invoiceId) {
        return tryton.call("model.account.invoice.read", List.of(invoiceId), List.of("number")).get(0).path("number").asText();
    }
}
