package io.revops.bridge.sandbox.tryton;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ERP's setup as .ci/tryton_setup.py makes it on the real Tryton: products (code on the template, copied to
 * the variant), the Unit UoM, USD, the "Direct" payment term, the "Cash" payment method, the journals, and the
 * receivable and revenue accounts the setup's chart of accounts gives (ids as on a fresh real database).
 */
final class CatalogStore {
    static final int UNIT = 1;
    static final int USD = 1;
    static final int RECEIVABLE_ACCOUNT = 5;
    static final int REVENUE_ACCOUNT = 6;
    static final int COMPANY = 1;
    static final int REVENUE_JOURNAL = 1;
    static final int CASH_JOURNAL = 3;
    /** "Main Cash", the payment method's debit and credit account (id 2 on the real one). */
    static final int CASH_ACCOUNT = 2;
    /** "Deferred Revenue", the account .ci/tryton_defer.py creates right after the chart (id 8 on the real one). */
    static final int DEFERRED_REVENUE_ACCOUNT = 8;

    final Table products = new Table("Variant", CatalogStore::field);
    final Table currencies = new Table("Currency", CatalogStore::field);
    final Table paymentTerms = new Table("Payment Term", CatalogStore::field);
    final Table paymentMethods = new Table("Payment Method", CatalogStore::field);
    final Table journals = new Table("Journal", CatalogStore::field);

    CatalogStore() {
        product("SVC-001", "Subscription Service", true, "100");
        product("ONB-001", "Onboarding", true, "500.00");
        product("OLD-001", "Legacy Support", false, "50.00");
        currencies.insert(new HashMap<>(Map.of("code", "USD", "name", "U.S. Dollar", "digits", 2,
                "rounding", new BigDecimal("0.01"))));
        paymentTerms.insert(new HashMap<>(Map.of("name", "Direct")));
        paymentMethods.insert(new HashMap<>(Map.of("name", "Cash", "company", COMPANY, "journal", CASH_JOURNAL,
                "credit_account", CASH_ACCOUNT, "debit_account", CASH_ACCOUNT)));
        for (List<String> journal : List.of(List.of("Revenue", "revenue"), List.of("Expense", "expense"),
                List.of("Cash", "cash"), List.of("Stock", "general"))) {
            journals.insert(new HashMap<>(Map.of("name", journal.get(0), "type", journal.get(1))));
        }
    }

    private void product(String code, String name, boolean salable, String listPrice) {
        Map<String, Object> product = new HashMap<>();
        product.put("code", code);
        product.put("name", name);
        product.put("salable", salable);
        product.put("list_price", new BigDecimal(listPrice));
        product.put("type", "service");
        product.put("default_uom", UNIT);
        product.put("sale_uom", UNIT);
        product.put("account_category", 1);
        product.put("active", true);
        products.insert(product);
    }

    Map<String, Object> product(int id) {
        return products.get(id);
    }

    private static Object field(Map<String, Object> row, String name) {
        if (name.equals("template.code")) {
            return row.get("code");
        }
        return Table.stored(row, name);
    }
}
