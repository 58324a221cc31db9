package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * account.invoice.deferred of Tryton 6.0's account_invoice_defer (6.0.3), as measured on the real one. Posting a
 * customer invoice makes a draft deferral for each line of a service product with defer_from and defer_to (amount:
 * the line's). run: the whole amount moves from revenue to the deferred revenue account (a move on the invoice's
 * move date), then one move per period the deferral touches, dated the period's first day, recognises
 * amount / days x its days in the period, rounded half-even to the cent; the deferral closes when the last
 * period is booked. The real module does not true up the rounding on a first run (its remainder step reads the
 * deferral's moves before they exist): 0.10 over 32 days recognises 0.00 + 0.09 + 0.00, the cent stays deferred;
 * the emulator does the same. Runs skip deferrals not in draft, as Tryton's workflow transitions do.
 */
final class DeferralStore {
    /** Python's default decimal context, in which Tryton divides. */
    private static final MathContext PYTHON_DECIMAL = new MathContext(28, RoundingMode.HALF_EVEN);

    private final Table deferrals = new Table("Invoice Deferred", this::field);
    private final InvoiceStore invoices;
    private final Moves moves;

    DeferralStore(InvoiceStore invoices) {
        this.invoices = invoices;
        this.moves = invoices.moves();
    }

    Table deferrals() {
        return deferrals;
    }

    /** Invoice._post of the module: the deferrals of the lines of the invoices just posted. */
    void afterPost(List<Integer> postedInvoices) {
        for (int invoiceId : postedInvoices) {
            Map<String, Object> invoice = invoices.invoice(invoiceId);
            for (Object lineId : (List<?>) invoice.get("lines")) {
                Map<String, Object> line = invoices.lines().get((Integer) lineId);
                if (Boolean.TRUE.equals(invoices.lineValue(line, "deferrable")) && line.get("defer_from") != null
                        && line.get("defer_to") != null) {
                    Map<String, Object> deferral = new HashMap<>();
                    deferral.put("company", CatalogStore.COMPANY);
                    deferral.put("type", invoice.get("type"));
                    deferral.put("journal", invoice.get("journal"));
                    deferral.put("invoice_line", lineId);
                    deferral.put("amount", invoices.lineValue(line, "amount"));
                    deferral.put("start_date", line.get("defer_from"));
                    deferral.put("end_date", line.get("defer_to"));
                    deferral.put("state", "draft");
                    deferral.put("move_ids", new ArrayList<Integer>());
                    deferrals.insert(deferral);
                }
            }
        }
    }

    /** model.account.invoice.deferred.run (the Run button). */
    @SuppressWarnings("unchecked")
    void run(JsonNode ids) {
        for (JsonNode id : ids) {
            Map<String, Object> deferral = deferrals.get(id.asInt());
            if (!"draft".equals(deferral.get("state"))) {
                continue;
            }
            LocalDate start = (LocalDate) deferral.get("start_date");
            LocalDate end = (LocalDate) deferral.get("end_date");
            moves.period(start); // it must start in an existing period
            deferral.put("state", "running");
            List<Integer> moveIds = (List<Integer>) deferral.get("move_ids");
            BigDecimal amount = (BigDecimal) deferral.get("amount");
            BigDecimal daily = amount.divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(start, end) + 1), PYTHON_DECIMAL);
            for (LocalDate month = Moves.periodStart(start); !month.isAfter(end); month = month.plusMonths(1)) {
                if (!moves.hasPeriod(month)) {
                    continue; // the real module books only the periods that exist
                }
                LocalDate from = start.isAfter(month) ? start : month;
                LocalDate to = end.isBefore(Moves.periodEnd(month)) ? end : Moves.periodEnd(month);
                BigDecimal recognised = daily.multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(from, to) + 1),
                        PYTHON_DECIMAL).setScale(2, RoundingMode.HALF_EVEN);
                moveIds.add(book(deferral, month, recognised.negate()));
            }
            Map<String, Object> invoiceMove = moves.moves().get((Integer) invoice(deferral).get("move"));
            moveIds.add(book(deferral, (LocalDate) invoiceMove.get("date"), amount));
            List<Integer> ordered = orderedMoves(deferral);
            LocalDate lastBooked = ordered.isEmpty() ? null
                    : Moves.periodEnd((LocalDate) moves.moves().get(ordered.get(ordered.size() - 1)).get("date"));
            if (lastBooked != null && !lastBooked.isBefore(end)) {
                deferral.put("state", "closed");
            }
        }
    }

    /**
     * A move of the deferral: {@code deferred} > 0 takes that much revenue to the deferred account, < 0 recognises
     * it (for a customer invoice; a zero amount still makes its move, as on the real one).
     */
    private int book(Map<String, Object> deferral, LocalDate date, BigDecimal deferred) {
        Map<String, Object> line = invoices.lines().get((Integer) deferral.get("invoice_line"));
        int move = moves.create(date, deferral.get("journal"), "account.invoice.deferred," + deferral.get("id"));
        BigDecimal zero = BigDecimal.ZERO;
        BigDecimal magnitude = deferred.abs();
        boolean defers = deferred.signum() >= 0;
        moves.line(move, CatalogStore.DEFERRED_REVENUE_ACCOUNT, defers ? zero : magnitude, defers ? magnitude : zero, null);
        moves.line(move, line.get("account"), defers ? magnitude : zero, defers ? zero : magnitude, null);
        return move;
    }

    private Map<String, Object> invoice(Map<String, Object> deferral) {
        Map<String, Object> line = invoices.lines().get((Integer) deferral.get("invoice_line"));
        return invoices.invoice((Integer) line.get("invoice"));
    }

    /** The moves field: ordered by their period's start, then as created (as the real one lists them). */
    @SuppressWarnings("unchecked")
    private List<Integer> orderedMoves(Map<String, Object> deferral) {
        List<Integer> ids = new ArrayList<>((List<Integer>) deferral.get("move_ids"));
        ids.sort(Comparator.comparing((Integer id) -> Moves.periodStart((LocalDate) moves.moves().get(id).get("date")))
                .thenComparing(Comparator.naturalOrder()));
        return Collections.unmodifiableList(ids);
    }

    private Object field(Map<String, Object> deferral, String name) {
        return switch (name) {
            case "moves" -> orderedMoves(deferral);
            case "currency" -> CatalogStore.USD;
            case "currency_digits" -> 2;
            case "rec_name" -> String.valueOf(deferral.get("id"));
            case "move_ids" -> Table.stored(Map.of(), name); // internal, not a field of the model
            default -> Table.stored(deferral, name);
        };
    }
}
