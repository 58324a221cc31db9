package io.revops.bridge.testing;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;

/** The emulated Salesforce as a sales rep uses it: logged in as the sandbox's integration user, entering orders. */
public final class SandboxSalesforce {
    private SandboxSalesforce() {
    }

    /**
     * Makes this JVM trust an emulated org's self-signed certificate through the standard javax.net.ssl properties,
     * as a user of the sandbox configures it (camel-salesforce and SalesforceRest read them).
     */
    public static void trustInThisJvm(SalesforceEmulator org) {
        System.setProperty("javax.net.ssl.trustStore", org.trustStore().toAbsolutePath().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", org.trustStorePassword());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    public static SalesforceRest login(String loginUrl) {
        return new SalesforceRest(loginUrl, "sandbox-client", "sandbox-secret", "integration@revops.sandbox", "sandbox");
    }

    /**
     * An account a sales rep enters (name, billing address, USD), once the account routes have put it in the ERP and
     * in billing; returns its Salesforce id.
     */
    public static String syncedAccount(SalesforceRest salesforce, String name, ErpCustomers erp, BillingAccounts billing) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", name);
        fields.put("BillingStreet", "1 Main Street");
        fields.put("BillingCity", "Springfield");
        fields.put("BillingPostalCode", "12345");
        fields.put("CurrencyIsoCode", "USD");
        String id = salesforce.create("Account", fields);
        await().atMost(Duration.ofSeconds(45)).until(() -> erp.find(id).isPresent() && billing.find(id).isPresent());
        return id;
    }

    /** An order in Draft with its OrderItems, its total the sum of the lines; returns the Order id. */
    @SafeVarargs
    public static String draftOrder(SalesforceRest salesforce, String account, Map<String, Object>... lines) {
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> line : lines) {
            total = total.add(BigDecimal.valueOf(((Number) line.get("UnitPrice")).doubleValue())
                    .multiply(BigDecimal.valueOf(((Number) line.get("Quantity")).doubleValue())));
        }
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AccountId", account);
        order.put("Status", "Draft");
        order.put("EffectiveDate", LocalDate.now().toString());
        order.put("CurrencyIsoCode", "USD");
        order.put("TotalAmount", total.doubleValue());
        String orderId = salesforce.create("Order", order);
        for (Map<String, Object> line : lines) {
            Map<String, Object> item = new LinkedHashMap<>(line);
            item.put("OrderId", orderId);
            salesforce.create("OrderItem", item);
        }
        return orderId;
    }

    /** {@link #draftOrder}, then activated: what starts quote-to-cash. */
    @SafeVarargs
    public static String activatedOrder(SalesforceRest salesforce, String account, Map<String, Object>... lines) {
        String orderId = draftOrder(salesforce, account, lines);
        salesforce.update("Order", orderId, Map.of("Status", "Activated"));
        return orderId;
    }

    /** The order's OrderNumber (Salesforce's auto-number, the business key of an order everywhere else). */
    public static String orderNumber(SalesforceRest salesforce, String orderId) {
        return salesforce.get("Order", orderId).path("OrderNumber").asText();
    }

    /** An OrderItem's fields: product code, charge type One-Time/Recurring, and for recurring lines the frequency. */
    public static Map<String, Object> orderLine(String product, String chargeType, int quantity, double unitPrice, String frequency) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("Product_Code__c", product);
        item.put("Description", product.charAt(0) + product.substring(1).toLowerCase());
        item.put("Quantity", quantity);
        item.put("UnitPrice", unitPrice);
        item.put("Charge_Type__c", chargeType);
        if (frequency != null) {
            item.put("Billing_Frequency__c", frequency);
            item.put("Term_Months__c", 12);
        }
        return item;
    }
}
