package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.tryton.TrytonEmulator.TrytonError;

/**
 * account.invoice with its lines and the account.move.line records the adapter reads (the receivable line a
 * posting makes, the payment lines the pay wizard adds). Posting numbers the invoice from one sequence and sets
 * today as invoice date when none is given; amount_to_pay is 0 until posted, as in Tryton; every write stamps
 * write_date (adding a payment line included, as measured on the real Tryton). Taxes are not emulated.
 */
final class InvoiceStore {
    private final Table invoices = new Table("Invoice", this::invoiceField);
    private final Table lines = new Table("Invoice Line", this::lineField);
    private final Moves moves = new Moves();
    private final Table moveLines = moves.lines();
    private final Timestamps clock;
    private final CatalogStore catalog;
    private int invoiceSequence = 1;
    private int reconciliationSequence = 1;

    InvoiceStore(Timestamps clock, CatalogStore catalog) {
        this.clock = clock;
        this.catalog = catalog;
    }

    Moves moves() {
        return moves;
    }

    Table invoices() {
        return invoices;
    }

    Table lines() {
        return lines;
    }

    Table moveLines() {
        return moveLines;
    }

    /** model.account.invoice.create: what the Tryton client fills in by on_change must be given over RPC. */
    List<Integer> create(JsonNode valuesList) {
        for (JsonNode values : valuesList) {
            for (String field : List.of("party", "invoice_address", "journal", "account")) {
                if (!values.hasNonNull(field)) {
                    throw required(field.equals("invoice_address") ? "Invoice Address" : capitalized(field), "Invoice");
                }
            }
            for (JsonNode action : values.path("lines")) {
                for (JsonNode line : action.path(1)) {
                    if (line.path("type").asText("line").equals("line") && !line.hasNonNull("account")) {
                        throw required("Account", "Invoice Line");
                    }
                    checkDeferPeriod(line);
                }
            }
        }
        List<Integer> ids = new ArrayList<>();
        for (JsonNode values : valuesList) {
            Map<String, Object> invoice = newInvoice();
            for (String field : List.of("type", "reference", "description", "party", "invoice_address", "currency",
                    "invoice_date", "journal", "account", "payment_term")) {
                if (values.has(field)) {
                    invoice.put(field, TrytonJson.value(values.get(field)));
                }
            }
            int id = (Integer) invoices.insert(invoice).get("id");
            for (JsonNode action : values.path("lines")) {
                action.path(1).forEach(line -> addLine(id, lineValues(line)));
            }
            ids.add(id);
        }
        return ids;
    }

    /**
     * account_invoice_defer's domain on a deferrable line (a service product): Defer From before Defer To, when both
     * are given. The real Tryton's message, measured with defer_from = defer_to.
     */
    private void checkDeferPeriod(JsonNode line) {
        Object from = TrytonJson.value(line.get("defer_from"));
        Object to = TrytonJson.value(line.get("defer_to"));
        if (from instanceof LocalDate start && to instanceof LocalDate end && deferrable(line.path("product").asInt(0))
                && !start.isBefore(end)) {
            throw new TrytonError("UserError",
                    "The value for field \"Defer From\" in \"Invoice Line\" is not valid according to its domain.");
        }
    }

    /** InvoiceLine.deferrable: the product is a service. */
    private boolean deferrable(int productId) {
        return productId != 0 && "service".equals(catalog.product(productId).get("type"));
    }

    /** The draft invoice Tryton makes when a sale is confirmed (invoice method "on order"), reference empty. */
    int createForSale(Map<String, Object> sale, List<Map<String, Object>> saleLines) {
        Map<String, Object> invoice = newInvoice();
        invoice.put("party", sale.get("party"));
        invoice.put("invoice_address", sale.get("invoice_address"));
        invoice.put("currency", sale.get("currency"));
        invoice.put("payment_term", sale.get("payment_term"));
        invoice.put("journal", CatalogStore.REVENUE_JOURNAL);
        invoice.put("account", CatalogStore.RECEIVABLE_ACCOUNT);
        int id = (Integer) invoices.insert(invoice).get("id");
        for (Map<String, Object> saleLine : saleLines) {
            Map<String, Object> line = new HashMap<>();
            for (String field : List.of("type", "product", "unit", "quantity", "unit_price", "description")) {
                line.put(field, saleLine.get(field));
            }
            line.put("account", "line".equals(saleLine.get("type")) ? CatalogStore.REVENUE_ACCOUNT : null);
            line.put("origin", "sale.line," + saleLine.get("id"));
            line.put("defer_from", null);
            line.put("defer_to", null);
            line.put("sale", saleLine.get("sale"));
            addLine(id, line);
        }
        return id;
    }

    private Map<String, Object> newInvoice() {
        Map<String, Object> invoice = new HashMap<>();
        invoice.put("type", "out");
        invoice.put("state", "draft");
        invoice.put("company", CatalogStore.COMPANY);
        invoice.put("currency", CatalogStore.USD);
        for (String field : List.of("reference", "number", "description", "invoice_date", "accounting_date",
                "payment_term", "move", "write_date")) {
            invoice.put(field, null);
        }
        invoice.put("lines", new ArrayList<Integer>());
        invoice.put("payment_lines", new ArrayList<Integer>());
        invoice.put("lines_to_pay", new ArrayList<Integer>());
        invoice.put("create_date", clock.next());
        return invoice;
    }

    private static Map<String, Object> lineValues(JsonNode values) {
        Map<String, Object> line = new HashMap<>();
        line.put("type", values.path("type").asText("line"));
        for (String field : List.of("product", "unit", "account", "description", "defer_from", "defer_to")) {
            line.put(field, TrytonJson.value(values.get(field)));
        }
        line.put("quantity", TrytonJson.floating(values.get("quantity")));
        line.put("unit_price", TrytonJson.decimal(values.get("unit_price")));
        // a credit note's line names the credited invoice line ("account.invoice.line,<id>"), as Tryton's credit does
        line.put("origin", TrytonJson.value(values.get("origin")));
        line.put("sale", null);
        return line;
    }

    @SuppressWarnings("unchecked")
    private void addLine(int invoiceId, Map<String, Object> line) {
        line.put("invoice", invoiceId);
        int lineId = (Integer) lines.insert(line).get("id");
        ((List<Integer>) invoices.get(invoiceId).get("lines")).add(lineId);
    }

    /**
     * model.account.invoice.write: header fields of draft invoices (the adapter's tests set a reference), and
     * payment_lines ["add", [move line ids]] of a posted invoice, how a credit note's receivable line is set against
     * the invoice it credits (the real Tryton 6.0 allows it on a posted invoice: it is outside its modify check).
     */
    void write(JsonNode ids, JsonNode values) {
        for (JsonNode id : ids) {
            Map<String, Object> invoice = invoices.get(id.asInt());
            values.fields().forEachRemaining(field -> {
                if (field.getKey().equals("payment_lines")) {
                    addPaymentLines(invoice, field.getValue());
                    return;
                }
                if (!List.of("reference", "description", "invoice_date", "payment_term").contains(field.getKey())) {
                    throw new TrytonError("UserError", "writing " + field.getKey() + " is not emulated");
                }
                invoice.put(field.getKey(), TrytonJson.value(field.getValue()));
            });
            invoice.put("write_date", clock.next());
        }
    }

    @SuppressWarnings("unchecked")
    private void addPaymentLines(Map<String, Object> invoice, JsonNode actions) {
        if ("paid".equals(invoice.get("state"))) {
            throw new TrytonError("AccessError", "You cannot add/remove payment lines on paid invoice \""
                    + invoice.get("number") + "\".");
        }
        for (JsonNode action : actions) {
            if (!"add".equals(action.path(0).asText())) {
                throw new TrytonError("UserError", "payment_lines " + action.path(0).asText() + " is not emulated");
            }
            List<Integer> paymentLines = (List<Integer>) invoice.get("payment_lines");
            for (JsonNode lineId : action.path(1)) {
                moveLines.get(lineId.asInt()); // an unknown line fails as the real one does
                if (!paymentLines.contains(lineId.asInt())) {
                    paymentLines.add(lineId.asInt());
                }
            }
        }
    }

    /**
     * model.account.invoice.post: draft and validated invoices get a number, a date and a move with the receivable
     * line. Returns the ids of the invoices it posted.
     */
    @SuppressWarnings("unchecked")
    List<Integer> post(JsonNode ids) {
        List<Integer> posted = new ArrayList<>();
        for (JsonNode id : ids) {
            Map<String, Object> invoice = invoices.get(id.asInt());
            if (!List.of("draft", "validated").contains(invoice.get("state"))) {
                continue; // Tryton's workflow transitions skip records in other states
            }
            if (invoice.get("invoice_date") == null) {
                invoice.put("invoice_date", LocalDate.now(ZoneOffset.UTC));
            }
            invoice.put("number", String.valueOf(invoiceSequence++));
            int move = moves.create((LocalDate) invoice.get("invoice_date"), invoice.get("journal"),
                    "account.invoice," + invoice.get("id"));
            invoice.put("move", move);
            // a credit note (negative total) owes the customer: its receivable line is a credit
            BigDecimal total = total(invoice);
            Map<String, Object> receivable = total.signum() < 0
                    ? moves.line(move, CatalogStore.RECEIVABLE_ACCOUNT, BigDecimal.ZERO, total.negate(), null)
                    : moves.line(move, CatalogStore.RECEIVABLE_ACCOUNT, total, BigDecimal.ZERO, null);
            receivable.put("maturity_date", invoice.get("invoice_date")); // the "Direct" term: due on the invoice date
            ((List<Integer>) invoice.get("lines_to_pay")).add((Integer) receivable.get("id"));
            invoice.put("state", "posted");
            invoice.put("write_date", clock.next());
            posted.add((Integer) invoice.get("id"));
        }
        return posted;
    }

    BigDecimal amountToPay(int invoiceId) {
        return (BigDecimal) invoiceField(invoices.get(invoiceId), "amount_to_pay");
    }

    Map<String, Object> invoice(int invoiceId) {
        return invoices.get(invoiceId);
    }

    /** Invoice.pay_invoice: a payment move whose receivable line is added to the invoice's payment lines. */
    @SuppressWarnings("unchecked")
    void pay(int invoiceId, BigDecimal amount, String description) {
        Map<String, Object> invoice = invoices.get(invoiceId);
        if ("paid".equals(invoice.get("state"))) {
            throw new TrytonError("AccessError", "You cannot add/remove payment lines on paid invoice \""
                    + invoice.get("number") + "\".");
        }
        int move = moves.create(LocalDate.now(ZoneOffset.UTC), CatalogStore.CASH_JOURNAL, null);
        moves.moves().get(move).put("description", description);
        // a negative amount pays a credit note back: the receivable is debited, cash credited (Invoice.pay_invoice)
        BigDecimal debit = amount.signum() < 0 ? amount.negate() : BigDecimal.ZERO;
        BigDecimal credit = amount.signum() < 0 ? BigDecimal.ZERO : amount;
        Map<String, Object> payment = moves.line(move, CatalogStore.RECEIVABLE_ACCOUNT, debit, credit, description);
        payment.put("party", invoice.get("party"));
        moves.line(move, CatalogStore.CASH_ACCOUNT, credit, debit, description);
        ((List<Integer>) invoice.get("payment_lines")).add((Integer) payment.get("id"));
        invoice.put("write_date", clock.next());
        if (amountToPay(invoiceId).signum() == 0) {
            // the invoice's receivable lines and every line set against them are reconciled together; a credit note
            // whose receivable line was set against the invoice is thereby settled too and, as Tryton processes every
            // invoice of a reconciliation, paid (as measured on the real Tryton 6.0)
            int reconciliation = reconciliationSequence++;
            List<Object> settled = new ArrayList<>((List<?>) invoice.get("lines_to_pay"));
            settled.addAll((List<?>) invoice.get("payment_lines"));
            for (Object lineId : settled) {
                moveLines.get((Integer) lineId).put("reconciliation", reconciliation);
            }
            invoice.put("state", "paid");
            boolean creditNoteSetAgainst = ((List<?>) invoice.get("payment_lines")).stream()
                    .anyMatch(id -> moveLines.get((Integer) id).get("move_description") == null); // not a payment move
            for (Map<String, Object> other : creditNoteSetAgainst ? invoices.rows() : List.<Map<String, Object>>of()) {
                List<?> toPay = (List<?>) other.get("lines_to_pay");
                if ("posted".equals(other.get("state")) && !toPay.isEmpty()
                        && toPay.stream().allMatch(id -> moveLines.get((Integer) id).get("reconciliation") != null)) {
                    other.put("state", "paid");
                    other.put("write_date", clock.next());
                }
            }
        }
    }

    /** model.account.invoice.on_change_with ["account"]: the party's receivable account, with a company given. */
    Map<String, Object> onChangeWith(JsonNode values, JsonNode fieldNames) {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (JsonNode name : fieldNames) {
            if (!name.asText().equals("account")) {
                throw new TrytonError("UserError", "on_change_with " + name.asText() + " is not emulated");
            }
            boolean known = values.hasNonNull("party") && values.hasNonNull("company");
            changes.put("account", known && "out".equals(values.path("type").asText()) ? CatalogStore.RECEIVABLE_ACCOUNT : null);
        }
        return changes;
    }

    /** model.account.invoice.line.on_change ["product"]: the product's revenue account and unit. */
    List<Map<String, Object>> lineOnChange(JsonNode values, JsonNode fieldNames, CatalogStore catalog) {
        Map<String, Object> changes = new LinkedHashMap<>();
        boolean productChanged = false;
        for (JsonNode name : fieldNames) {
            productChanged |= name.asText().equals("product");
        }
        if (productChanged && values.hasNonNull("product")) {
            Map<String, Object> product = catalog.product(values.get("product").asInt());
            changes.put("unit_digits", 0);
            changes.put("account.", Map.of("rec_name", "Main Revenue"));
            changes.put("account", CatalogStore.REVENUE_ACCOUNT);
            changes.put("unit.", Map.of("rec_name", "Unit"));
            changes.put("unit", product.get("default_uom"));
        }
        return List.of(changes);
    }

    private Object invoiceField(Map<String, Object> invoice, String name) {
        return switch (name) {
            case "total_amount", "untaxed_amount" -> total(invoice);
            case "tax_amount" -> BigDecimal.ZERO;
            case "amount_to_pay" -> {
                if (!"posted".equals(invoice.get("state"))) {
                    yield BigDecimal.ZERO;
                }
                BigDecimal paid = ((List<?>) invoice.get("payment_lines")).stream().map(id -> moveLines.get((Integer) id))
                        .map(line -> ((BigDecimal) line.get("credit")).subtract((BigDecimal) line.get("debit")))
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                yield total(invoice).subtract(paid);
            }
            case "sales" -> ((List<?>) invoice.get("lines")).stream()
                    .map(id -> lines.get((Integer) id).get("sale")).filter(Objects::nonNull).distinct().toList();
            default -> Table.stored(invoice, name);
        };
    }

    private BigDecimal total(Map<String, Object> invoice) {
        return ((List<?>) invoice.get("lines")).stream().map(id -> (BigDecimal) lineField(lines.get((Integer) id), "amount"))
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.HALF_EVEN);
    }

    /** A line's stored or computed field (amount, deferrable), as read gives it. */
    Object lineValue(Map<String, Object> line, String name) {
        return lineField(line, name);
    }

    private Object lineField(Map<String, Object> line, String name) {
        if (name.equals("deferrable")) {
            return line.get("product") != null && deferrable((Integer) line.get("product"));
        }
        if (name.equals("amount")) {
            if (!"line".equals(line.get("type"))) {
                return BigDecimal.ZERO;
            }
            return ((BigDecimal) line.get("unit_price")).multiply(BigDecimal.valueOf((Double) line.get("quantity")))
                    .setScale(2, RoundingMode.HALF_EVEN);
        }
        return Table.stored(line, name);
    }

    static TrytonError required(String field, String model) {
        return new TrytonError("UserError", "A value is required for field \"" + field + "\" in \"" + model + "\".");
    }

    private static String capitalized(String field) {
        return Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }

    /** Read-only view for tests: number, reference, state, total, amount to pay, party. */
    List<Map<String, Object>> snapshot(PartyStore parties) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> invoice : invoices.rows()) {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("id", invoice.get("id"));
            copy.put("number", invoice.get("number"));
            copy.put("reference", invoice.get("reference"));
            copy.put("state", invoice.get("state"));
            copy.put("total", total(invoice));
            copy.put("amountToPay", invoiceField(invoice, "amount_to_pay"));
            copy.put("party", parties.party((Integer) invoice.get("party")).get("code"));
            List<Map<String, Object>> invoiceLines = new ArrayList<>();
            for (Object lineId : (List<?>) invoice.get("lines")) {
                Map<String, Object> line = lines.get((Integer) lineId);
                Map<String, Object> shown = new LinkedHashMap<>();
                for (String field : List.of("description", "quantity", "unit_price", "defer_from", "defer_to")) {
                    shown.put(field, line.get(field));
                }
                invoiceLines.add(shown);
            }
            copy.put("lines", invoiceLines);
            all.add(copy);
        }
        return all;
    }
}
