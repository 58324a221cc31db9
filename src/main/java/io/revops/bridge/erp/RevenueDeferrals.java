package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tryton's account_invoice_defer on our customer invoices. Posting an invoice whose lines carry defer_from/defer_to
 * makes one draft account.invoice.deferred per line; running it books the whole amount on the deferred revenue
 * account (a move on the invoice's date) and recognises it period by period (a move on the first day of each
 * period, amount/days of the deferral times its days in the period, rounded). Running is what the accountant's
 * "Run" button does; we do it right after posting, and again on a retry (only drafts are run, so never twice).
 */
final class RevenueDeferrals {
    private final TrytonClient tryton;

    RevenueDeferrals(TrytonClient tryton) {
        this.tryton = tryton;
    }

    /** Runs the invoice's deferrals still in draft (those the posting just made, or a crashed attempt left). */
    void runDrafts(int invoiceId) {
        JsonNode drafts = tryton.call("model.account.invoice.deferred.search",
                List.of(List.of("invoice_line", "in", lineIds(invoiceId)), List.of("state", "=", "draft")), 0, null,
                List.of(List.of("id", "ASC")));
        if (!drafts.isEmpty()) {
            tryton.call("model.account.invoice.deferred.run", drafts);
        }
    }

    /** The revenue schedule of each deferred line of the invoice, in line order. */
    List<ErpRevenueSchedule> of(int invoiceId, int digits) {
        List<Object> lineIds = lineIds(invoiceId);
        List<ErpRevenueSchedule> schedules = new ArrayList<>();
        if (lineIds.isEmpty()) {
            return schedules;
        }
        Map<Integer, JsonNode> lines = new HashMap<>();
        tryton.call("model.account.invoice.line.read", lineIds, List.of("description", "account"))
                .forEach(line -> lines.put(line.path("id").asInt(), line));
        JsonNode deferrals = tryton.call("model.account.invoice.deferred.search_read",
                List.of(List.of("invoice_line", "in", lineIds)), 0, null, List.of(List.of("invoice_line", "ASC")),
                List.of("invoice_line", "amount", "start_date", "end_date", "state", "moves"));
        for (JsonNode deferral : deferrals) {
            JsonNode line = lines.get(deferral.path("invoice_line").asInt());
            int revenueAccount = line.path("account").asInt();
            List<ErpRevenueSchedule.Recognition> recognised = new ArrayList<>();
            if (!deferral.path("moves").isEmpty()) {
                for (JsonNode move : tryton.call("model.account.move.read", deferral.path("moves"),
                        List.of("date", "lines"))) {
                    BigDecimal amount = BigDecimal.ZERO;
                    for (JsonNode moveLine : tryton.call("model.account.move.line.read", move.path("lines"),
                            List.of("account", "debit", "credit"))) {
                        if (moveLine.path("account").asInt() == revenueAccount) {
                            amount = amount.add(TrytonValues.decimal(moveLine.get("credit")))
                                    .subtract(TrytonValues.decimal(moveLine.get("debit")));
                        }
                    }
                    if (amount.signum() > 0) { // the move that defers the whole amount takes revenue away
                        recognised.add(new ErpRevenueSchedule.Recognition(TrytonValues.date(move.get("date")),
                                amount.setScale(digits, RoundingMode.HALF_EVEN)));
                    }
                }
            }
            recognised.sort(Comparator.comparing(ErpRevenueSchedule.Recognition::date));
            schedules.add(new ErpRevenueSchedule(line.path("description").asText(null),
                    ErpInvoices.money(deferral.get("amount"), digits), TrytonValues.date(deferral.get("start_date")),
                    TrytonValues.date(deferral.get("end_date")), deferral.path("state").asText(), recognised));
        }
        return schedules;
    }

    private List<Object> lineIds(int invoiceId) {
        List<Object> ids = new ArrayList<>();
        tryton.call("model.account.invoice.read", List.of(invoiceId), List.of("lines")).get(0).path("lines")
                .forEach(id -> ids.add(id.asInt()));
        return ids;
    }
}
