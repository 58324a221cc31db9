package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.tryton.TrytonEmulator.TrytonError;

/**
 * sale.sale and sale.line with Tryton 6.0's workflow: create (draft) -> quote (number from the sale sequence,
 * quotation) -> confirm (confirmed, then processed at once as without a queue worker: processing, with the draft
 * invoice of its lines). The checks the real Tryton makes and the adapter meets: a line's product must be salable
 * while the sale is draft or quotation (a domain validation error), a quote needs an invoice address, and, with
 * {@link #holdCredit}, the credit limit check of the sale_credit_limit module on confirm.
 */
final class SaleStore {
    private final Table sales = new Table("Sale", this::saleField);
    private final Table lines = new Table("Sale Line", this::lineField);
    private final CatalogStore catalog;
    private final PartyStore parties;
    private final InvoiceStore invoices;
    private final Timestamps clock;
    private final Set<Integer> creditHeld = new HashSet<>();
    private int saleSequence = 1;

    SaleStore(CatalogStore catalog, PartyStore parties, InvoiceStore invoices, Timestamps clock) {
        this.catalog = catalog;
        this.parties = parties;
        this.invoices = invoices;
        this.clock = clock;
    }

    Table sales() {
        return sales;
    }

    Table lines() {
        return lines;
    }

    void holdCredit(int partyId) {
        creditHeld.add(partyId);
    }

    List<Integer> create(JsonNode valuesList) {
        for (JsonNode values : valuesList) {
            if (!values.hasNonNull("party")) {
                throw InvoiceStore.required("Party", "Sale");
            }
            for (JsonNode action : values.path("lines")) {
                for (JsonNode line : action.path(1)) {
                    if (line.path("type").asText("line").equals("line") && line.hasNonNull("product")
                            && !Boolean.TRUE.equals(catalog.product(line.get("product").asInt()).get("salable"))) {
                        throw new TrytonError("UserError",
                                "The value for field \"Product\" in \"Sale Line\" is not valid according to its domain.");
                    }
                }
            }
        }
        List<Integer> ids = new ArrayList<>();
        for (JsonNode values : valuesList) {
            Map<String, Object> sale = new HashMap<>();
            for (String field : List.of("reference", "description", "party", "invoice_address", "shipment_address",
                    "payment_term")) {
                sale.put(field, TrytonJson.value(values.get(field)));
            }
            sale.put("currency", values.hasNonNull("currency") ? values.get("currency").asInt() : CatalogStore.USD);
            sale.put("company", CatalogStore.COMPANY);
            sale.put("state", "draft");
            sale.put("number", null);
            sale.put("sale_date", null);
            sale.put("invoice_method", "order");
            sale.put("shipment_method", "order");
            sale.put("lines", new ArrayList<Integer>());
            sale.put("invoices", new ArrayList<Integer>());
            sale.put("create_date", clock.next());
            sale.put("write_date", null);
            int id = (Integer) sales.insert(sale).get("id");
            for (JsonNode action : values.path("lines")) {
                action.path(1).forEach(line -> addLine(sale, id, line));
            }
            ids.add(id);
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private void addLine(Map<String, Object> sale, int saleId, JsonNode values) {
        Map<String, Object> line = new HashMap<>();
        line.put("sale", saleId);
        line.put("type", values.path("type").asText("line"));
        line.put("product", TrytonJson.value(values.get("product")));
        line.put("unit", TrytonJson.value(values.get("unit")));
        line.put("quantity", TrytonJson.floating(values.get("quantity")));
        line.put("unit_price", TrytonJson.decimal(values.get("unit_price")));
        line.put("description", TrytonJson.value(values.get("description")));
        ((List<Integer>) sale.get("lines")).add((Integer) lines.insert(line).get("id"));
    }

    /** model.sale.sale.quote: Workflow transitions skip the records not in a state they start from. */
    void quote(JsonNode ids) {
        for (JsonNode id : ids) {
            Map<String, Object> sale = sales.get(id.asInt());
            if (!"draft".equals(sale.get("state"))) {
                continue;
            }
            if (sale.get("invoice_address") == null) {
                throw new TrytonError("UserError", "To get a quote for sale \"" + recName(sale)
                        + "\" you must enter an invoice address.");
            }
            if (sale.get("number") == null) {
                sale.put("number", String.valueOf(saleSequence++));
            }
            sale.put("sale_date", LocalDate.now(ZoneOffset.UTC));
            sale.put("state", "quotation");
            sale.put("write_date", clock.next());
        }
    }

    /** model.sale.sale.confirm, then Sale.process as Tryton runs it at once when no queue worker is configured. */
    @SuppressWarnings("unchecked")
    void confirm(JsonNode ids) {
        for (JsonNode id : ids) {
            Map<String, Object> sale = sales.get(id.asInt());
            if (!"quotation".equals(sale.get("state"))) {
                continue;
            }
            int party = (Integer) sale.get("party");
            if (creditHeld.contains(party)) {
                // account_credit_limit's msg_party_credit_limit_amount, raised by sale_credit_limit on confirm; a
                // warning for users in the credit limit group (admin is), as the real Tryton answered it
                throw TrytonError.warning("credit_limit_amount_sale.sale," + sale.get("id"), "Party \""
                        + parties.party(party).get("name") + "\" has reached their credit limit of $0.00.");
            }
            List<Map<String, Object>> saleLines = ((List<Integer>) sale.get("lines")).stream().map(lines::get).toList();
            ((List<Integer>) sale.get("invoices")).add(invoices.createForSale(sale, saleLines));
            sale.put("state", "processing");
            sale.put("write_date", clock.next());
        }
    }

    private static String recName(Map<String, Object> sale) {
        List<String> items = new ArrayList<>();
        if (sale.get("number") != null) {
            items.add((String) sale.get("number"));
        }
        if (sale.get("reference") != null) {
            items.add("[" + sale.get("reference") + "]");
        }
        return items.isEmpty() ? "(" + sale.get("id") + ")" : String.join(" ", items);
    }

    private Object saleField(Map<String, Object> sale, String name) {
        return switch (name) {
            case "total_amount", "untaxed_amount" -> ((List<?>) sale.get("lines")).stream()
                    .map(id -> (BigDecimal) lineField(lines.get((Integer) id), "amount"))
                    .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.HALF_EVEN);
            case "tax_amount" -> BigDecimal.ZERO;
            default -> Table.stored(sale, name);
        };
    }

    private Object lineField(Map<String, Object> line, String name) {
        if (name.equals("amount")) {
            return "line".equals(line.get("type"))
                    ? ((BigDecimal) line.get("unit_price")).multiply(BigDecimal.valueOf((Double) line.get("quantity")))
                            .setScale(2, RoundingMode.HALF_EVEN)
                    : BigDecimal.ZERO;
        }
        return Table.stored(line, name);
    }

    /** Read-only view for tests: reference, number, state, party (code) and lines. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> snapshot() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> sale : sales.rows()) {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("id", sale.get("id"));
            copy.put("reference", sale.get("reference"));
            copy.put("number", sale.get("number"));
            copy.put("state", sale.get("state"));
            copy.put("party", parties.party((Integer) sale.get("party")).get("code"));
            List<Map<String, Object>> saleLines = new ArrayList<>();
            for (Integer lineId : (List<Integer>) sale.get("lines")) {
                Map<String, Object> line = lines.get(lineId);
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("type", line.get("type"));
                view.put("product", line.get("product") == null ? null
                        : catalog.product((Integer) line.get("product")).get("code"));
                view.put("quantity", line.get("quantity"));
                view.put("unitPrice", line.get("unit_price"));
                view.put("description", line.get("description"));
                saleLines.add(view);
            }
            copy.put("lines", saleLines);
            all.add(copy);
        }
        return all;
    }
}
