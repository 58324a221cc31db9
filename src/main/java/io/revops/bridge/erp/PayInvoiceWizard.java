package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tryton's "Pay Invoice" wizard (account.invoice.pay) driven over JSON-RPC as the Tryton client drives it: create
 * a session on the invoice, open the start form, submit it with its defaults plus our payment, and answer the
 * "ask" form that a partial payment brings up with "partial" (the invoice stays posted with the rest to pay).
 * The description is the move's description: it is how a payment is found back on the invoice.
 */
final class PayInvoiceWizard {
    private static final String WIZARD = "wizard.account.invoice.pay.";

    private final TrytonClient tryton;

    PayInvoiceWizard(TrytonClient tryton) {
        this.tryton = tryton;
    }

    void pay(int invoiceId, BigDecimal amount, int currencyId, int paymentMethodId, LocalDate date, String description) {
        Map<String, Object> onInvoice = Map.of("active_model", "account.invoice", "active_id", invoiceId,
                "active_ids", List.of(invoiceId));
        int session = tryton.callWithContext(WIZARD + "create", onInvoice).get(0).asInt();
        RuntimeException failure = null;
        try {
            JsonNode start = tryton.callWithContext(WIZARD + "execute", onInvoice, session, Map.of(), "start");
            Map<String, Object> payment = formValues(start.path("view").path("defaults"));
            payment.put("amount", TrytonValues.decimal(amount));
            payment.put("currency", currencyId);
            payment.put("payment_method", paymentMethodId);
            payment.put("date", TrytonValues.date(date));
            payment.put("description", description);
            JsonNode next = tryton.callWithContext(WIZARD + "execute", onInvoice, session, Map.of("start", payment), "choice");
            if ("ask".equals(next.path("view").path("state").asText())) {
                Map<String, Object> ask = formValues(next.path("view").path("defaults"));
                ask.put("type", "partial");
                next = tryton.callWithContext(WIZARD + "execute", onInvoice, session, Map.of("start", payment, "ask", ask), "pay");
            }
            if (next.has("view")) {
                throw new IllegalStateException("the pay wizard stopped at " + next.path("view").path("state").asText()
                        + " on invoice " + invoiceId);
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            try {
                tryton.callWithContext(WIZARD + "delete", onInvoice, session);
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    /** A form's defaults as values to send back: "field." entries are only display names for the client. */
    private static Map<String, Object> formValues(JsonNode defaults) {
        Map<String, Object> values = new LinkedHashMap<>();
        defaults.fields().forEachRemaining(field -> {
            if (!field.getKey().endsWith(".")) {
                values.put(field.getKey(), field.getValue());
            }
        });
        return values;
    }
}
