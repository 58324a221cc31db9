package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Posted and paid customer invoices in the order Tryton last wrote them. Every change we care about writes the
 * invoice (posting sets its state; a payment adds a payment line to it, and paying it in full sets the state), so
 * Tryton's write_date is the change clock. The position is that write_date plus the invoice id, "write_date#id":
 * invoices written in one transaction share a write_date, and the id keeps a page boundary between them exact.
 * Each page is one search_read plus one read per related model (parties, identifiers, sales, lines, products,
 * payable lines), whatever the page size.
 * <p>
 * Tryton stamps write_date with PostgreSQL's CURRENT_TIMESTAMP, the start of the writing transaction. A transaction
 * that started before the newest change a reader has seen and commits after that read gets an older write_date than
 * the reader's position: {@link #withLateChanges} re-reads a time window behind the position for such changes.
 */
final class InvoiceChangeFeed {
    private static final List<String> FIELDS = List.of("number", "reference", "state", "invoice_date", "currency",
            "total_amount", "amount_to_pay", "party", "sales", "lines", "lines_to_pay", "write_date");

    private final TrytonClient tryton;
    private final TrytonLookups lookups;

    InvoiceChangeFeed(TrytonClient tryton, TrytonLookups lookups) {
        this.tryton = tryton;
        this.lookups = lookups;
    }

    ErpInvoiceChanges since(String position, int limit) {
        List<Object> domain = new ArrayList<>(List.of(List.of("type", "=", "out"),
                List.of("state", "in", List.of("posted", "paid"))));
        if (position != null) {
            Position after = Position.parse(position);
            Map<String, Object> writeDate = TrytonValues.datetime(after.writeDate());
            domain.add(List.of("OR", List.of(List.of("write_date", ">", writeDate)),
                    List.of(List.of("write_date", "=", writeDate), List.of("id", ">", after.id()))));
        }
        JsonNode rows = tryton.call("model.account.invoice.search_read", domain, 0, limit,
                List.of(List.of("write_date", "ASC"), List.of("id", "ASC")), FIELDS);
        if (rows.isEmpty()) {
            return new ErpInvoiceChanges(List.of(), position);
        }
        List<Map<String, Object>> invoices = describe(rows);
        return new ErpInvoiceChanges(invoices, (String) invoices.get(invoices.size() - 1).get("changedAt"));
    }

    /**
     * The page {@link #since} returns, preceded by the changes at or before {@code position} written within
     * {@code overlap} before it (at most {@code lateLimit}, newest first) whose position {@code published} does not
     * know: the ones committed after the reader passed them. The window is searched for positions only; just the
     * changes not published yet are read in full. nextPosition is that of the page after {@code position}.
     */
    ErpInvoiceChanges withLateChanges(String position, int limit, Duration overlap, int lateLimit,
            Predicate<String> published) {
        ErpInvoiceChanges next = since(position, limit);
        if (position == null || overlap.isZero()) {
            return next;
        }
        Position after = Position.parse(position);
        Map<String, Object> checkpoint = TrytonValues.datetime(after.writeDate());
        List<Object> window = new ArrayList<>(List.of(List.of("type", "=", "out"),
                List.of("state", "in", List.of("posted", "paid")),
                List.of("write_date", ">=", TrytonValues.datetime(after.writeDate().minus(overlap))),
                List.of("OR", List.of(List.of("write_date", "<", checkpoint)),
                        List.of(List.of("write_date", "=", checkpoint), List.of("id", "<=", after.id())))));
        List<Integer> late = new ArrayList<>();
        for (JsonNode row : tryton.call("model.account.invoice.search_read", window, 0, lateLimit,
                List.of(List.of("write_date", "DESC"), List.of("id", "DESC")), List.of("write_date"))) {
            Position at = new Position(TrytonValues.datetime(row.get("write_date")), row.path("id").asInt());
            if (!published.test(at.toString())) {
                late.add(at.id());
            }
        }
        if (late.isEmpty()) {
            return next;
        }
        // read by the same domain narrowed to the late ids: one that changed again meanwhile is in the next page
        window.add(List.of("id", "in", late));
        List<Map<String, Object>> invoices = new ArrayList<>(describe(tryton.call("model.account.invoice.search_read",
                window, 0, late.size(), List.of(List.of("write_date", "ASC"), List.of("id", "ASC")), FIELDS)));
        invoices.addAll(next.invoices());
        return new ErpInvoiceChanges(invoices, next.nextPosition());
    }

    /**
     * Posted and paid customer invoices matching {@code domain} (added to the feed's own), described as changes are,
     * by ascending id: a reconciliation's page, {@code limit} at most.
     */
    List<Map<String, Object>> matching(List<Object> domain, int limit) {
        List<Object> all = new ArrayList<>(List.of(List.of("type", "=", "out"), List.of("state", "in", List.of("posted", "paid"))));
        all.addAll(domain);
        List<Map<String, Object>> invoices = new ArrayList<>(describe(tryton.call("model.account.invoice.search_read", all,
                0, limit, List.of(List.of("id", "ASC")), FIELDS)));
        invoices.sort(Comparator.comparing(invoice -> (Integer) invoice.get("id")));
        return invoices;
    }

    /** The rows as changes, in the position's order whatever order the rows came back in. */
    private List<Map<String, Object>> describe(JsonNode rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Related related = new Related(rows);
        List<Map<String, Object>> invoices = new ArrayList<>();
        for (JsonNode row : rows) {
            invoices.add(related.describe(row));
        }
        invoices.sort(Comparator.comparing(invoice -> Position.parse((String) invoice.get("changedAt"))));
        return invoices;
    }

    /** The records a page of invoices points to, each model read once for the whole page. */
    private final class Related {
        private final Map<Integer, JsonNode> parties;
        private final Map<Integer, String> customerKeys = new HashMap<>();
        private final Map<Integer, String> saleReferences;
        private final Map<Integer, JsonNode> lines;
        private final Map<Integer, String> productCodes;
        private final Map<Integer, LocalDate> maturityDates = new HashMap<>();

        Related(JsonNode invoices) {
            parties = byId(read("party.party", ids(invoices, "party"), List.of("code", "identifiers")));
            // our key is the identifier without a type (ErpCustomers writes it so); VAT numbers and the like have one
            for (JsonNode identifier : read("party.identifier", ids(parties.values(), "identifiers"),
                    List.of("party", "code", "type"))) {
                if (identifier.path("type").asText("").isEmpty()) {
                    customerKeys.putIfAbsent(identifier.path("party").asInt(), identifier.path("code").asText());
                }
            }
            saleReferences = new HashMap<>();
            read("sale.sale", ids(invoices, "sales"), List.of("reference"))
                    .forEach(sale -> saleReferences.put(sale.path("id").asInt(), sale.path("reference").asText(null)));
            lines = byId(read("account.invoice.line", ids(invoices, "lines"),
                    List.of("type", "description", "product", "quantity", "amount")));
            productCodes = lookups.productCodes(ids(lines.values(), "product"));
            for (JsonNode line : read("account.move.line", ids(invoices, "lines_to_pay"), List.of("maturity_date"))) {
                LocalDate maturity = TrytonValues.date(line.get("maturity_date"));
                if (maturity != null) {
                    maturityDates.put(line.path("id").asInt(), maturity);
                }
            }
        }

        Map<String, Object> describe(JsonNode row) {
            int digits = lookups.currency(row.path("currency").asInt()).digits();
            JsonNode party = parties.get(row.path("party").asInt());
            Map<String, Object> invoice = new LinkedHashMap<>();
            invoice.put("id", row.path("id").asInt());
            invoice.put("number", row.path("number").asText(null));
            invoice.put("reference", row.path("reference").asText(null));
            invoice.put("state", row.path("state").asText());
            invoice.put("invoiceDate", Objects.toString(TrytonValues.date(row.get("invoice_date")), null));
            invoice.put("dueDate", Objects.toString(earliest(row.path("lines_to_pay"), maturityDates::get), null));
            invoice.put("currency", lookups.currency(row.path("currency").asInt()).code());
            invoice.put("totalAmount", ErpInvoices.money(row.get("total_amount"), digits).toPlainString());
            invoice.put("amountToPay", ErpInvoices.money(row.get("amount_to_pay"), digits).toPlainString());
            invoice.put("customerKey", customerKeys.get(row.path("party").asInt()));
            invoice.put("customerNumber", party.path("code").asText(null));
            invoice.put("saleReference", row.path("sales").isEmpty() ? null
                    : saleReferences.get(row.path("sales").get(0).asInt()));
            invoice.put("lines", lines(row.path("lines"), digits));
            invoice.put("changedAt", new Position(TrytonValues.datetime(row.get("write_date")), row.path("id").asInt())
                    .toString());
            return invoice;
        }

        /** The billable lines; comment lines (copied from a sale's comments) carry no product, quantity or amount. */
        private List<Map<String, Object>> lines(JsonNode lineIds, int digits) {
            List<Map<String, Object>> result = new ArrayList<>();
            for (JsonNode id : lineIds) {
                JsonNode line = lines.get(id.asInt());
                if (!"line".equals(line.path("type").asText())) {
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("description", line.path("description").asText(null));
                values.put("productCode", line.path("product").isNull() ? null
                        : productCodes.get(line.path("product").asInt()));
                values.put("quantity", new BigDecimal(line.path("quantity").asText()).stripTrailingZeros()
                        .toPlainString());
                values.put("amount", ErpInvoices.money(line.get("amount"), digits).toPlainString());
                result.add(values);
            }
            return result;
        }

        private JsonNode read(String model, Set<Integer> ids, List<String> fields) {
            return ids.isEmpty() ? JsonNodeFactory.instance.arrayNode()
                    : tryton.callWithContext("model." + model + ".read", TrytonClient.INACTIVE_TOO, List.copyOf(ids), fields);
        }
    }

    private static LocalDate earliest(JsonNode ids, Function<Integer, LocalDate> dates) {
        List<LocalDate> found = new ArrayList<>();
        ids.forEach(id -> {
            LocalDate date = dates.apply(id.asInt());
            if (date != null) {
                found.add(date);
            }
        });
        return found.stream().min(Comparator.naturalOrder()).orElse(null);
    }

    /** Ids in a field of the given rows: a many2one id or a list of ids. */
    private static Set<Integer> ids(Iterable<JsonNode> rows, String field) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (JsonNode row : rows) {
            JsonNode value = row.path(field);
            if (value.isArray()) {
                value.forEach(id -> ids.add(id.asInt()));
            } else if (value.isNumber()) {
                ids.add(value.asInt());
            }
        }
        return ids;
    }

    private static Map<Integer, JsonNode> byId(JsonNode rows) {
        Map<Integer, JsonNode> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.path("id").asInt(), row));
        return byId;
    }

    /** "write_date#id", write_date as ISO with microseconds (Tryton's naive UTC); opaque to callers. */
    private record Position(LocalDateTime writeDate, int id) implements Comparable<Position> {
        private static final Comparator<Position> ORDER = Comparator.comparing(Position::writeDate)
                .thenComparingInt(Position::id);

        @Override
        public int compareTo(Position other) {
            return ORDER.compare(this, other);
        }

        static Position parse(String position) {
            int hash = position.lastIndexOf('#');
            try {
                return new Position(LocalDateTime.parse(position.substring(0, hash)),
                        Integer.parseInt(position.substring(hash + 1)));
            } catch (IndexOutOfBoundsException | DateTimeParseException | NumberFormatException e) {
                throw new IllegalArgumentException("not an ERP invoice position: " + position, e);
            }
        }

        @Override
        public String toString() {
            return TrytonValues.ISO_MICROS.format(writeDate) + "#" + id;
        }
    }
}
