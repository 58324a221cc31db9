package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

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

    /**
     * model.account.move.create as a client sends it (journal, date, period, description, lines [["create", [...]]]):
     * draft moves, posted by {@link #post}.
     */
    List<Integer> createFromRpc(JsonNode values) {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode value : values) {
            LocalDate date = (LocalDate) TrytonJson.value(value.get("date"));
            int move = create(date, value.path("journal").asInt(), null);
            moves.get(move).put("state", "draft");
            moves.get(move).put("description", value.path("description").asText(null));
            for (JsonNode create : value.path("lines")) {
                for (JsonNode lineValues : create.path(1)) {
                    Map<String, Object> line = line(move, lineValues.path("account").asInt(),
                            TrytonJson.decimal(lineValues.get("debit")), TrytonJson.decimal(lineValues.get("credit")),
                            value.path("description").asText(null));
                    line.put("party", lineValues.hasNonNull("party") ? lineValues.get("party").asInt() : null);
                }
            }
            ids.add(move);
        }
        return ids;
    }

    /** model.account.move.post: refused, as Tryton refuses it, when debits and credits do not balance. */
    @SuppressWarnings("unchecked")
    void post(JsonNode ids) {
        for (JsonNode id : ids) {
            Map<String, Object> move = moves.get(id.asInt());
            BigDecimal balance = ((List<Integer>) move.get("lines")).stream().map(lines::get)
                    .map(line -> ((BigDecimal) line.get("debit")).subtract((BigDecimal) line.get("credit")))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            if (balance.signum() != 0) {
                throw new TrytonError("UserError", "To post move \"" + id.asInt()
                        + "\", you must balance all its lines debits and credits.");
            }
            move.put("state", "posted");
        }
    }

    /** model.account.period.search on a date (start_date <= d, end_date >= d): its standard period, if any. */
    List<Integer> periodSearch(JsonNode domain) {
        for (JsonNode clause : domain) {
            if ("start_date".equals(clause.path(0).asText())) {
                LocalDate date = (LocalDate) TrytonJson.value(clause.get(2));
                return hasPeriod(date) ? List.of(period(date)) : List.of();
            }
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> snapshot() {
        List<Map<String, Object>> snapshot = new ArrayList<>();
        for (Map<String, Object> move : moves.rows()) {
            List<Map<String, Object>> moveLines = new ArrayList<>();
            for (Integer id : (List<Integer>) move.get("lines")) {
                Map<String, Object> line = lines.get(id);
                Map<String, Object> copy = new HashMap<>();
                copy.put("account", line.get("account"));
                copy.put("party", line.get("party"));
                copy.put("debit", line.get("debit"));
                copy.put("credit", line.get("credit"));
                moveLines.add(copy);
            }
            Map<String, Object> copy = new HashMap<>();
            copy.put("id", move.get("id"));
            copy.put("description", move.get("description"));
            copy.put("journal", move.get("journal"));
            copy.put("state", move.get("state"));
            copy.put("lines", moveLines);
            snapshot.add(copy);
        }
        return snapshot;
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
