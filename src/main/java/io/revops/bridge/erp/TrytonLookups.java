package io.revops.bridge.erp;

import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * The Tryton records that sales and invoices point to: the customer behind one of our accounts, products by code,
 * currencies by code, and the ERP's own setup (payment term, payment method, revenue journal, accounts). Setup and
 * catalogue records are cached for the life of the instance (they change with an ERP reconfiguration, not per
 * event); what is not found is not cached, so a product added to the ERP later is picked up on the next retry.
 */
final class TrytonLookups {
    /** Explicit, because a record's values as first parameter would otherwise be taken for extra context. */

    record Customer(int partyId, String key, String code, Integer addressId) {
    }

    record Product(int id, String code, int saleUnit, int defaultUnit) {
    }

    record Currency(int id, String code, int digits) {
    }

    /** What Tryton fills in on an invoice line when its product is chosen (the client's on_change of product). */
    record InvoiceLineDefaults(int account, int unit) {
    }

    private final TrytonClient tryton;
    private final Map<String, Product> products = new ConcurrentHashMap<>();
    private final Map<String, Currency> currenciesByCode = new ConcurrentHashMap<>();
    private final Map<Integer, Currency> currenciesById = new ConcurrentHashMap<>();
    private final Map<Integer, InvoiceLineDefaults> invoiceLineDefaults = new ConcurrentHashMap<>();
    private final Map<String, Integer> setup = new ConcurrentHashMap<>();

    TrytonLookups(TrytonClient tryton) {
        this.tryton = tryton;
    }

    /** The party carrying our account key as identifier, inactive ones included (as ErpCustomers writes them). */
    Customer customer(String key, String waitingWhat) {
        // one round trip: the search reads the fields along
        JsonNode found = tryton.callWithContext("model.party.party.search_read", TrytonClient.INACTIVE_TOO,
                List.of(List.of("identifiers.code", "=", key)), 0, 1, null, List.of("code", "addresses"));
        if (found.isEmpty()) {
            throw new PrerequisiteMissingException("customer-not-in-erp",
                    "account " + key + " has no ERP customer yet; " + waitingWhat + " waits for the account sync");
        }
        JsonNode party = found.get(0);
        JsonNode addresses = party.path("addresses");
        return new Customer(party.get("id").asInt(), key, party.path("code").asText(),
                addresses.isEmpty() ? null : addresses.get(0).asInt());
    }

    /** Products by code (in Tryton 6.0 the product's code is its template's code plus a suffix, empty here). */
    Map<String, Product> products(Collection<String> codes, String usedBy) {
        List<String> missing = codes.stream().distinct().filter(code -> !products.containsKey(code)).toList();
        if (!missing.isEmpty()) {
            JsonNode found = tryton.call("model.product.product.search_read",
                    List.of(List.of("code", "in", missing)), 0, null, null, List.of("code", "sale_uom", "default_uom"));
            for (JsonNode product : found) {
                int defaultUnit = product.path("default_uom").asInt();
                int saleUnit = product.path("sale_uom").isNull() ? defaultUnit : product.path("sale_uom").asInt();
                products.put(product.path("code").asText(),
                        new Product(product.path("id").asInt(), product.path("code").asText(), saleUnit, defaultUnit));
            }
        }
        Map<String, Product> result = new LinkedHashMap<>();
        for (String code : codes) {
            Product product = products.get(code);
            if (product == null) {
                throw new BusinessException("unknown-product", "product " + code + " is not in the ERP (" + usedBy + ")");
            }
            result.put(code, product);
        }
        return result;
    }

    Currency currency(String code) {
        Currency cached = currenciesByCode.get(code);
        if (cached != null) {
            return cached;
        }
        JsonNode found = tryton.call("model.currency.currency.search_read", List.of(List.of("code", "=", code)), 0, 1,
                null, List.of("code", "digits"));
        if (found.isEmpty()) {
            throw new BusinessException("unknown-currency", "currency " + code + " is not set up in the ERP");
        }
        return remember(found.get(0));
    }

    Currency currency(int id) {
        Currency cached = currenciesById.get(id);
        return cached != null ? cached : remember(tryton.call("model.currency.currency.read", List.of(id),
                List.of("code", "digits")).get(0));
    }

    private Currency remember(JsonNode row) {
        Currency currency = new Currency(row.path("id").asInt(), row.path("code").asText(), row.path("digits").asInt(2));
        currenciesByCode.put(currency.code(), currency);
        currenciesById.put(currency.id(), currency);
        return currency;
    }

    /** The ERP's first payment term: our systems do not carry terms, the ERP's default applies. */
    int paymentTerm() {
        return firstOf("account.invoice.payment_term", List.of(), "a payment term");
    }

    /** The first invoice payment method: the journal and account payments from billing are booked on. */
    int paymentMethod() {
        return firstOf("account.invoice.payment.method", List.of(), "an invoice payment method");
    }

    /** The revenue journal, as Tryton picks it for a customer invoice (on_change of the invoice type). */
    int revenueJournal() {
        return firstOf("account.journal", List.of(List.of("type", "=", "revenue")), "a revenue journal");
    }

    private int firstOf(String model, List<?> domain, String what) {
        return setup.computeIfAbsent(model, m -> {
            JsonNode ids = tryton.call("model." + m + ".search", domain, 0, 1, null);
            if (ids.isEmpty()) {
                throw new BusinessException("erp-setup-missing", "the ERP has no " + what + " set up");
            }
            return ids.get(0).asInt();
        });
    }

    /** The receivable account Tryton itself chooses for a customer invoice of this party (party's or default). */
    int receivableAccount(int partyId, LocalDate invoiceDate) {
        Map<String, Object> invoice = new HashMap<>();
        invoice.put("party", partyId);
        invoice.put("type", "out");
        invoice.put("company", tryton.company());
        invoice.put("accounting_date", null);
        invoice.put("invoice_date", invoiceDate == null ? null : TrytonValues.date(invoiceDate));
        JsonNode account = tryton.call("model.account.invoice.on_change_with", invoice,
                List.of("account")).path("account");
        if (account.isNull() || account.isMissingNode()) {
            throw new BusinessException("erp-setup-missing", "the ERP has no receivable account for party " + partyId);
        }
        return account.asInt();
    }

    /** Revenue account and unit of a product on a customer invoice line, as Tryton fills them in. */
    InvoiceLineDefaults invoiceLineDefaults(Product product, int partyId) {
        return invoiceLineDefaults.computeIfAbsent(product.id(), id -> {
            Map<String, Object> line = new HashMap<>();
            line.put("product", id);
            line.put("unit", null);
            line.put("invoice", null);
            line.put("invoice_type", "out");
            line.put("party", partyId);
            line.put("company", tryton.company());
            JsonNode changes = tryton.call("model.account.invoice.line.on_change", line,
                    List.of("product")).path(0);
            if (changes.path("account").isNull() || changes.path("account").isMissingNode()) {
                throw new BusinessException("erp-setup-missing", "product " + product.code()
                        + " has no revenue account in the ERP (set its account category)");
            }
            int unit = changes.path("unit").isMissingNode() || changes.path("unit").isNull()
                    ? product.defaultUnit() : changes.path("unit").asInt();
            return new InvoiceLineDefaults(changes.path("account").asInt(), unit);
        });
    }

    /** Product codes by product id, for reading lines back (inactive products included). */
    Map<Integer, String> productCodes(Collection<Integer> ids) {
        Map<Integer, String> codes = new HashMap<>();
        if (!ids.isEmpty()) {
            for (JsonNode row : tryton.callWithContext("model.product.product.read", TrytonClient.INACTIVE_TOO, List.copyOf(ids), List.of("code"))) {
                codes.put(row.path("id").asInt(), row.path("code").asText(null));
            }
        }
        return codes;
    }
}
