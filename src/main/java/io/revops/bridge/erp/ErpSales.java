package io.revops.bridge.erp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;

/**
 * ERP system API for orders: a Tryton sale per order, placed on our order key (the sale's reference) and driven
 * through Tryton's workflow draft -> quotation -> confirmed. Every call first looks the sale up by reference, so
 * a retry after a crash continues where the previous attempt stopped and never creates a second sale. Tryton's
 * refusals are an answer, not a failure: they come back as a rejected {@link ErpSale} for the order's status.
 */
@ApplicationScoped
@Named("erpSales")
public class ErpSales {
    private static final Set<String> ACCEPTED_STATES = Set.of("confirmed", "processing", "done");
    private static final List<String> SALE_FIELDS = List.of("reference", "number", "state");

    private final TrytonClient tryton;
    private final TrytonLookups lookups;
    private final KeyLocks locks = new KeyLocks();

    @Inject
    public ErpSales(TrytonClient tryton) {
        this.tryton = tryton;
        this.lookups = new TrytonLookups(tryton);
    }

    /**
     * The sales with these references (our order numbers), as Tryton holds them now: reference -> sales (more than one
     * is a duplicate). created is false and no rejection is known (a rejection's reason is only known when placing).
     */
    public Map<String, List<ErpSale>> byReferences(Collection<String> references) {
        Map<String, List<ErpSale>> sales = new LinkedHashMap<>();
        if (references.isEmpty()) {
            return sales;
        }
        for (JsonNode sale : tryton.call("model.sale.sale.search_read", List.of(List.of("reference", "in",
                List.copyOf(references))), 0, null, List.of(List.of("id", "ASC")), SALE_FIELDS)) {
            String reference = sale.path("reference").asText();
            sales.computeIfAbsent(reference, r -> new ArrayList<>()).add(new ErpSale(sale.path("id").asInt(),
                    reference, sale.path("number").asText(null), sale.path("state").asText(), false, null, null));
        }
        return sales;
    }

    /**
     * @param sale {reference, customerKey, currency, lines: [{product, quantity, unitPrice, description}],
     *             comments: [text], description (optional: what the sale is, e.g. the amendment of which sale)};
     *             quantities and prices as decimal strings
     * @throws io.revops.bridge.policy.PrerequisiteMissingException customer-not-in-erp: the account has not
     *             reached the ERP yet
     * @throws BusinessException unknown-product (nothing is created), invalid-event
     */
    public ErpSale place(Map<String, Object> sale) {
        String reference = InputFields.required(sale, "reference", "ERP sale");
        return locks.withLock(reference, () -> {
            JsonNode existing = tryton.call("model.sale.sale.search", List.of(List.of("reference", "=", reference)),
                    0, 1, List.of(List.of("id", "ASC")));
            if (!existing.isEmpty()) {
                return advance(existing.get(0).asInt(), false);
            }
            int saleId;
            try {
                saleId = create(reference, sale);
            } catch (ErpRejectedException refused) {
                return rejected(new ErpSale(0, reference, null, null, false, null, null), refused);
            }
            return advance(saleId, true);
        });
    }

    private int create(String reference, Map<String, Object> sale) {
        String order = "order " + reference;
        TrytonLookups.Customer customer = lookups.customer(InputFields.required(sale, "customerKey", order), order);
        List<Map<String, Object>> lines = InputFields.lines(sale, order);
        Map<String, TrytonLookups.Product> products = lookups.products(
                lines.stream().map(line -> String.valueOf(line.get("product"))).toList(), order);
        TrytonLookups.Currency currency = lookups.currency(InputFields.required(sale, "currency", order));

        List<Map<String, Object>> saleLines = new ArrayList<>();
        for (Map<String, Object> line : lines) {
            TrytonLookups.Product product = products.get(String.valueOf(line.get("product")));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("type", "line");
            values.put("product", product.id());
            values.put("unit", product.saleUnit());
            values.put("quantity", InputFields.decimal(line.get("quantity"), "quantity of " + product.code()));
            values.put("unit_price", TrytonValues.decimal(
                    InputFields.decimal(line.get("unitPrice"), "unit price of " + product.code())));
            values.put("description", line.get("description"));
            saleLines.add(values);
        }
        if (sale.get("comments") instanceof List<?> comments) {
            comments.forEach(comment -> saleLines.add(Map.of("type", "comment", "description", String.valueOf(comment))));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("reference", reference);
        if (sale.get("description") instanceof String description) {
            values.put("description", description);
        }
        values.put("party", customer.partyId());
        values.put("invoice_address", customer.addressId());
        values.put("shipment_address", customer.addressId());
        values.put("payment_term", lookups.paymentTerm());
        values.put("currency", currency.id());
        values.put("lines", List.of(List.of("create", saleLines)));
        return tryton.call("model.sale.sale.create", List.of(values)).get(0).asInt();
    }

    /** Quotes and confirms as far as the sale's state asks for; each step reads the state Tryton left. */
    private ErpSale advance(int saleId, boolean created) {
        String previousState = null;
        while (true) {
            ErpSale sale = read(saleId, created);
            if (sale.state().equals(previousState)) {
                throw new IllegalStateException("Tryton left sale " + saleId + " in state " + previousState);
            }
            previousState = sale.state();
            String step = switch (sale.state()) {
                case "draft" -> "model.sale.sale.quote";
                case "quotation" -> "model.sale.sale.confirm";
                default -> null;
            };
            if (step == null) {
                if (ACCEPTED_STATES.contains(sale.state())) {
                    return sale;
                }
                return new ErpSale(saleId, sale.reference(), sale.number(), sale.state(), created, "erp-rejected",
                        "sale " + sale.number() + " was " + sale.state() + " in the ERP");
            }
            try {
                tryton.call(step, List.of(saleId));
            } catch (ErpRejectedException refused) {
                return rejected(read(saleId, created), refused);
            }
        }
    }

    private ErpSale read(int saleId, boolean created) {
        JsonNode sale = tryton.call("model.sale.sale.read", List.of(saleId), SALE_FIELDS).get(0);
        return new ErpSale(saleId, sale.path("reference").asText(null), sale.path("number").asText(null),
                sale.path("state").asText(), created, null, null);
    }

    private static ErpSale rejected(ErpSale sale, ErpRejectedException refused) {
        String reason = refused.trytonMessage();
        // sale_credit_limit words it "Party ... has reached their credit limit of ...", as a UserWarning for users
        // in the credit limit group: never acknowledged here, a credit hold is for a person to lift
        String category = reason.toLowerCase(Locale.ROOT).contains("credit limit") ? "credit-hold" : "erp-rejected";
        return new ErpSale(sale.saleId(), sale.reference(), sale.number(), sale.state(), sale.created(), category, reason);
    }
}
