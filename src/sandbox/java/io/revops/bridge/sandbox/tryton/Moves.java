package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.revops.bridge.sandbox.tryton.TrytonEmulator.TrytonError;

/**
 * account.move and account.move.line: the moves posting an invoice, paying it and running a revenue deferral make,
 * each in the monthly period of its date. The periods are those .ci/tryton_setup.py creates: the months of this
 * year and the next (ids 1-24, as on a fresh real database); a date outside them fails as Tryton's Period.find does.
 */
final class Moves {
    private final Table moves = new Table("Account Move", Table::stored);
    private final Table lines = new Table("Account Move Line", Table::stored);
    private final int firstYear = LocalDate.now(ZoneOffset.UTC).getYear();

    Table moves() {
        return moves;
    }

    Table lines() {
        return lines;
    }

    /** A posted move on a date (its period found as Period.find finds it); origin "model,id" or null. */
    int create(LocalDate date, Object journal, String origin) {
        Map<String, Object> move = new HashMap<>();
        move.put("date", date);
        move.put("period", period(date));
        move.put("journal", journal);
        move.put("origin", origin);
        move.put("state", "posted");
        move.put("description", null);
        move.put("lines", new ArrayList<Integer>());
        return (Integer) moves.insert(move).get("id");
    }

    /** A line of a move; move_description is the move's description, as Tryton's function field gives it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> line(int move, Object account, BigDecimal debit, BigDecimal credit, String moveDescription) {
        Map<String, Object> line = new HashMap<>();
        line.put("debit", debit);
        line.put("credit", credit);
        line.put("account", account);
        line.put("move", move);
        line.put("move_description", moveDescription);
        line.put("description", null);
        line.put("maturity_date", null);
        line.put("reconciliation", null);
        line.put("party", null);
        lines.insert(line);
        ((List<Integer>) moves.get(move).get("lines")).add((Integer) line.get("id"));
        return line;
    }

    /** The standard period of a date: Period.find, which fails when there is none. */
    int period(LocalDate date) {
        int year = date.getYear() - firstYear;
        if (year < 0 || year > 1) {
            throw new TrytonError("UserError", "To continue, you must create a period for the date \"" + date + "\".");
        }
        return year * 12 + date.getMonthValue();
    }

    /** Whether a standard period exists for the month of this date. */
    boolean hasPeriod(LocalDate date) {
        int year = date.getYear() - firstYear;
        return year >= 0 && year <= 1;
    }

    static LocalDate periodStart(LocalDate date) {
        return date.withDayOfMonth(1);
    }

    static LocalDate periodEnd(LocalDate date) {
        return date.withDayOfMonth(date.lengthOfMonth());
    }
}
