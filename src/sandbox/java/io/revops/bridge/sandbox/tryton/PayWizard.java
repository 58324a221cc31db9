package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.sandbox.tryton.TrytonEmulator.TrytonError;

/**
 * wizard.account.invoice.pay as Tryton 6.0 runs it over JSON-RPC: create -> [session, "start", "end"];
 * execute "start" -> the start form with its defaults; execute "choice" with the form -> paid at once when the
 * amount is exactly what is left to pay, otherwise the "ask" form (type partial, or writeoff when the amount is
 * more); execute "pay" with the ask form -> the payment; delete. The forms must come back complete, as the
 * real wizard instantiates them from what the client sends (a missing field fails there). Write-offs are not
 * emulated.
 */
final class PayWizard {
    private static final List<String> START_FIELDS = List.of("currency_digits", "date", "company", "currency",
            "amount", "invoice_account", "payment_method", "description");

    private final InvoiceStore invoices;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private int nextSession = 1;

    private static final class Session {
        final int invoiceId;
        final Map<String, JsonNode> start = new HashMap<>();
        final Map<String, JsonNode> ask = new HashMap<>();

        Session(int invoiceId) {
            this.invoiceId = invoiceId;
        }
    }

    PayWizard(InvoiceStore invoices) {
        this.invoices = invoices;
    }

    List<Object> create(JsonNode context) {
        if (!"account.invoice".equals(context.path("active_model").asText()) || !context.hasNonNull("active_id")) {
            throw TrytonError.internal("'active_id'");
        }
        invoices.invoice(context.get("active_id").asInt());
        int id = nextSession++;
        sessions.put(id, new Session(context.get("active_id").asInt()));
        return List.of(id, "start", "end");
    }

    Map<String, Object> execute(JsonNode params) {
        Session session = sessions.get(params.path(0).asInt());
        if (session == null) {
            throw TrytonError.internal("wizard session " + params.path(0).asInt() + " does not exist");
        }
        params.path(1).path("start").fields().forEachRemaining(f -> session.start.put(f.getKey(), f.getValue()));
        params.path(1).path("ask").fields().forEachRemaining(f -> session.ask.put(f.getKey(), f.getValue()));
        return switch (params.path(2).asText()) {
            case "start" -> view("start", startDefaults(session));
            case "choice" -> choice(session);
            case "pay" -> pay(session);
            default -> throw TrytonError.internal("'" + params.path(2).asText() + "'");
        };
    }

    void delete(JsonNode params) {
        sessions.remove(params.path(0).asInt());
    }

    private Map<String, Object> startDefaults(Session session) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("currency_digits", 2);
        defaults.put("date", TrytonJson.json(LocalDate.now(ZoneOffset.UTC)));
        defaults.put("company", CatalogStore.COMPANY);
        defaults.put("currency", invoices.invoice(session.invoiceId).get("currency"));
        defaults.put("amount", TrytonJson.json(invoices.amountToPay(session.invoiceId)));
        defaults.put("invoice_account", CatalogStore.RECEIVABLE_ACCOUNT);
        defaults.put("company.", Map.of("rec_name", "RevOps ERP Inc"));
        defaults.put("currency.", Map.of("rec_name", "U.S. Dollar"));
        defaults.put("invoice_account.", Map.of("rec_name", "Main Receivable"));
        return defaults;
    }

    private Map<String, Object> choice(Session session) {
        for (String field : START_FIELDS) {
            if (!session.start.containsKey(field)) {
                throw TrytonError.internal("'account.invoice.pay.start' Model has no attribute '" + field + "'");
            }
        }
        BigDecimal amount = amount(session);
        BigDecimal toPay = invoices.amountToPay(session.invoiceId);
        if (amount.compareTo(toPay) == 0) {
            return pay(session, amount);
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("type", amount.abs().compareTo(toPay.abs()) > 0 ? "writeoff" : "partial");
        defaults.put("lines_to_pay", invoices.invoice(session.invoiceId).get("lines_to_pay"));
        defaults.put("amount", TrytonJson.json(amount));
        defaults.put("date", session.start.get("date"));
        defaults.put("currency", session.start.get("currency"));
        defaults.put("currency_digits", 2);
        defaults.put("company", CatalogStore.COMPANY);
        defaults.put("lines", List.of());
        defaults.put("payment_lines", List.of());
        defaults.put("currency_writeoff", CatalogStore.USD);
        defaults.put("currency_digits_writeoff", 2);
        defaults.put("invoice", session.invoiceId);
        defaults.put("currency.", Map.of("rec_name", "U.S. Dollar"));
        return view("ask", defaults);
    }

    private Map<String, Object> pay(Session session) {
        if (!session.ask.containsKey("type")) {
            throw TrytonError.internal("'account.invoice.pay.ask' Model has no attribute 'type'");
        }
        if (!"partial".equals(session.ask.get("type").asText())) {
            throw new TrytonError("UserError", "a write-off payment is not emulated");
        }
        BigDecimal amount = amount(session);
        BigDecimal toPay = invoices.amountToPay(session.invoiceId);
        if (amount.abs().compareTo(toPay.abs()) > 0 || amount.signum() * toPay.signum() < 0) {
            throw new TrytonError("UserError", "You cannot add a partial payment on invoice \""
                    + invoices.invoice(session.invoiceId).get("number")
                    + "\" with an amount greater than the amount to pay \"$" + toPay + "\".");
        }
        return pay(session, amount);
    }

    private Map<String, Object> pay(Session session, BigDecimal amount) {
        JsonNode description = session.start.get("description");
        invoices.pay(session.invoiceId, amount, description == null || description.isNull() ? null : description.asText());
        return Map.of(); // the wizard reached "end"
    }

    private static BigDecimal amount(Session session) {
        return TrytonJson.decimal(session.start.get("amount"));
    }

    private static Map<String, Object> view(String state, Map<String, Object> defaults) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("fields_view", Map.of("model", "account.invoice.pay." + state, "type", "form"));
        view.put("defaults", defaults);
        view.put("state", state);
        view.put("buttons", List.of());
        return Map.of("view", view);
    }
}
