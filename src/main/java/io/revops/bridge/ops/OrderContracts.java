package io.revops.bridge.ops;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.billing.BillingAccount;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.billing.KillBillClient;
import io.revops.bridge.erp.ErpInvoices;
import io.revops.bridge.erp.ErpSale;
import io.revops.bridge.erp.ErpSales;
import io.revops.bridge.policy.StoredText;
import io.revops.bridge.salesforce.SalesforceRecords;

/**
 * One order's whole contract read live from each system of record: Salesforce (the order and its amendment and
 * reduction orders, Invoice__c), the ERP (the sales of the order and its changes, posted invoices with their
 * revenue schedules, payments applied, what is left to pay), billing (the subscriptions of the order and its
 * changes, invoices and balance) and the runtime's lineage (one correlation id per change). A system that does not
 * answer makes its part say so; the others still answer.
 */
@ApplicationScoped
public class OrderContracts {
    private static final Logger LOG = Logger.getLogger(OrderContracts.class);
    private static final String ORDER_FIELDS = "Id, OrderNumber, AccountId, Status, Type, IsReductionOrder, EffectiveDate,"
            + " ActivatedDate, TotalAmount, CurrencyIsoCode, ERP_Status__c, ERP_Sale_Number__c, ERP_Status_Reason__c,"
            + " Billing_Status__c, Cancellation_Policy__c, Contract_Change_Status__c";

    @Inject
    SalesforceRecords salesforce;
    @Inject
    ErpSales erpSales;
    @Inject
    ErpInvoices erpInvoices;
    @Inject
    BillingAccounts billingAccounts;
    @Inject
    KillBillClient killBill;
    @Inject
    DataSource dataSource;
    @Inject
    LineageRecorder lineageRecorder;

    /** Empty when no system that answered, nor the runtime's records, knows the order. */
    public Optional<Map<String, Object>> of(String orderNumber) {
        Map<String, Object> salesforcePart = part("salesforce", () -> salesforcePart(orderNumber));
        Map<String, Object> lineagePart = part("runtime", () -> lineagePart(orderNumber));

        Set<String> keys = new LinkedHashSet<>(List.of(orderNumber)); // the order's and its changes' numbers
        String accountKey = null;
        if (Boolean.TRUE.equals(salesforcePart.get("available")) && salesforcePart.get("order") instanceof Map<?, ?> order) {
            accountKey = (String) order.get("AccountId");
            for (Object change : (List<?>) salesforcePart.get("changes")) {
                keys.add(String.valueOf(((Map<?, ?>) change).get("OrderNumber")));
            }
        }
        if (Boolean.TRUE.equals(lineagePart.get("available"))) {
            for (Object change : (List<?>) lineagePart.get("changes")) {
                String correlationId = String.valueOf(((Map<?, ?>) change).get("correlationId"));
                if (correlationId.startsWith("change-")) {
                    keys.add(correlationId.substring("change-".length()));
                }
            }
        }
        String account = accountKey;
        Map<String, Object> billingPart = part("billing", () -> billingPart(account, keys));
        List<String> billingInvoices = new ArrayList<>();
        if (Boolean.TRUE.equals(billingPart.get("available"))) {
            for (Object invoice : (List<?>) billingPart.get("invoices")) {
                billingInvoices.add(String.valueOf(((Map<?, ?>) invoice).get("invoiceNumber")));
            }
        }
        Map<String, Object> erpPart = part("erp", () -> erpPart(keys, billingInvoices));

        boolean salesforceKnowsNothing = Boolean.TRUE.equals(salesforcePart.get("available")) && salesforcePart.get("order") == null;
        boolean noLineage = Boolean.TRUE.equals(lineagePart.get("available")) && ((List<?>) lineagePart.get("changes")).isEmpty();
        boolean noSale = Boolean.TRUE.equals(erpPart.get("available")) && ((List<?>) erpPart.get("sales")).isEmpty();
        if (salesforceKnowsNothing && noLineage && noSale) {
            return Optional.empty();
        }
        Map<String, Object> contract = new LinkedHashMap<>();
        contract.put("orderNumber", orderNumber);
        contract.put("changes", List.copyOf(keys).subList(1, keys.size()));
        contract.put("salesforce", salesforcePart);
        contract.put("erp", erpPart);
        contract.put("billing", billingPart);
        contract.put("lineage", lineagePart);
        return Optional.of(contract);
    }

    /** A system's part: what it holds, or that it did not answer and why (never the whole answer failing). */
    private static Map<String, Object> part(String system, Supplier<Map<String, Object>> read) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("systemOfRecord", system);
        try {
            Map<String, Object> held = read.get();
            part.put("available", true);
            part.putAll(held);
        } catch (RuntimeException e) {
            LOG.warnf("order view: %s did not answer: %s", system, e.getMessage());
            part.put("available", false);
            part.put("error", system + " did not answer: " + e.getMessage());
        }
        return part;
    }

    private Map<String, Object> salesforcePart(String orderNumber) {
        Map<String, Object> part = new LinkedHashMap<>();
        List<Map<String, Object>> orders = salesforce.query("SELECT " + ORDER_FIELDS + " FROM Order WHERE OrderNumber = '"
                + orderNumber + "'");
        if (orders.isEmpty()) {
            part.put("order", null);
            part.put("changes", List.of());
            part.put("invoices", List.of());
            return part;
        }
        Map<String, Object> order = fields(orders.get(0));
        String id = (String) order.get("Id");
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Map<String, Object> change : salesforce.query("SELECT " + ORDER_FIELDS + " FROM Order WHERE Amended_Order__c = '"
                + id + "' OR OriginalOrderId = '" + id + "' ORDER BY OrderNumber")) {
            Map<String, Object> described = fields(change);
            described.put("kind", Boolean.TRUE.equals(change.get("IsReductionOrder")) ? "REDUCTION" : "AMENDMENT");
            described.put("correlationId", "change-" + change.get("OrderNumber"));
            changes.add(described);
        }
        List<String> numbers = new ArrayList<>(List.of(orderNumber));
        changes.forEach(change -> numbers.add(String.valueOf(change.get("OrderNumber"))));
        List<Map<String, Object>> invoices = new ArrayList<>();
        for (Map<String, Object> invoice : salesforce.query("SELECT Invoice_Number__c, Order_Number__c, Source_System__c,"
                + " Status__c, Invoice_Date__c, Due_Date__c, Total_Amount__c, Balance__c, CurrencyIsoCode FROM Invoice__c"
                + " WHERE Order_Number__c IN ('" + String.join("','", numbers) + "') ORDER BY Invoice_Number__c")) {
            invoices.add(fields(invoice));
        }
        order.put("correlationId", "order-" + orderNumber);
        part.put("order", order);
        part.put("changes", changes);
        part.put("invoices", invoices);
        return part;
    }

    /** A record without its "attributes" (type and URL of the REST answer). */
    private static Map<String, Object> fields(Map<String, Object> record) {
        Map<String, Object> fields = new LinkedHashMap<>(record);
        fields.remove("attributes");
        return fields;
    }

    private Map<String, Object> erpPart(Set<String> keys, List<String> billingInvoices) {
        Map<String, Object> part = new LinkedHashMap<>();
        List<Map<String, Object>> sales = new ArrayList<>();
        for (Map.Entry<String, List<ErpSale>> entry : erpSales.byReferences(keys).entrySet()) {
            for (ErpSale sale : entry.getValue()) {
                Map<String, Object> described = new LinkedHashMap<>();
                described.put("reference", sale.reference());
                described.put("number", sale.number());
                described.put("state", sale.state());
                sales.add(described);
            }
        }
        List<Map<String, Object>> invoices = new ArrayList<>();
        BigDecimal toPay = BigDecimal.ZERO;
        List<String> references = new ArrayList<>();
        for (Map<String, Object> invoice : erpInvoices.postedOfOrder(keys, billingInvoices)) {
            Map<String, Object> described = new LinkedHashMap<>();
            for (String field : List.of("number", "reference", "saleReference", "state", "invoiceDate", "dueDate",
                    "currency", "totalAmount", "amountToPay")) {
                described.put(field, invoice.get(field));
            }
            String reference = (String) invoice.get("reference");
            if (reference != null) {
                references.add(reference);
                described.put("revenueSchedules", erpInvoices.revenueSchedules(reference));
            }
            toPay = toPay.add(new BigDecimal(String.valueOf(invoice.get("amountToPay"))));
            invoices.add(described);
        }
        List<Map<String, Object>> payments = new ArrayList<>();
        erpInvoices.appliedPayments(references).forEach((paymentId, amounts) -> amounts.forEach(amount ->
                payments.add(Map.of("paymentId", paymentId, "amount", amount.toPlainString()))));
        part.put("sales", sales);
        part.put("invoices", invoices);
        part.put("payments", payments);
        part.put("amountToPay", toPay.toPlainString());
        return part;
    }

    private Map<String, Object> billingPart(String accountKey, Set<String> keys) {
        if (accountKey == null) {
            throw new IllegalStateException("the order's account is not known without its Salesforce order");
        }
        Map<String, Object> part = new LinkedHashMap<>();
        Optional<BillingAccount> account = billingAccounts.find(accountKey);
        List<Map<String, Object>> subscriptions = new ArrayList<>();
        List<Map<String, Object>> invoices = new ArrayList<>();
        BigDecimal balance = BigDecimal.ZERO;
        if (account.isPresent()) {
            String accountId = account.get().accountId();
            Map<String, String> keysOfOurs = new LinkedHashMap<>(); // subscription id -> our key (items only name the id)
            for (JsonNode bundle : killBill.find("/1.0/kb/accounts/" + accountId + "/bundles").orElseThrow()) {
                for (JsonNode subscription : bundle.path("subscriptions")) {
                    if (ofContract(subscription.path("externalKey").asText(), keys)) {
                        keysOfOurs.put(subscription.path("subscriptionId").asText(), subscription.path("externalKey").asText());
                        Map<String, Object> described = new LinkedHashMap<>();
                        for (String field : List.of("externalKey", "planName", "state", "startDate", "chargedThroughDate",
                                "cancelledDate", "billingEndDate")) {
                            described.put(field, subscription.path(field).isMissingNode() || subscription.path(field).isNull()
                                    ? null : subscription.path(field).asText());
                        }
                        subscriptions.add(described);
                    }
                }
            }
            // Kill Bill lists an account's invoices in full, with their items
            for (JsonNode invoice : killBill.find("/1.0/kb/accounts/" + URLEncoder.encode(accountId, StandardCharsets.UTF_8)
                    + "/invoices").orElseThrow()) {
                List<Map<String, Object>> items = new ArrayList<>();
                boolean ours = false;
                for (JsonNode item : invoice.path("items")) {
                    String subscriptionKey = keysOfOurs.get(item.path("subscriptionId").asText());
                    ours |= subscriptionKey != null;
                    // the contract's charges, and the adjustments and credits on its invoices (no subscription)
                    if (subscriptionKey != null || item.path("subscriptionId").isNull() || item.path("subscriptionId").isMissingNode()) {
                        Map<String, Object> described = new LinkedHashMap<>();
                        described.put("itemType", item.path("itemType").asText(null));
                        described.put("subscriptionExternalKey", subscriptionKey);
                        described.put("planName", item.path("planName").asText(null));
                        described.put("amount", item.path("amount").decimalValue().toPlainString());
                        described.put("startDate", item.path("startDate").asText(null));
                        described.put("endDate", item.path("endDate").asText(null));
                        items.add(described);
                    }
                }
                if (ours) {
                    Map<String, Object> described = new LinkedHashMap<>();
                    described.put("invoiceNumber", "KB-" + invoice.path("invoiceNumber").asText());
                    described.put("invoiceDate", invoice.path("invoiceDate").asText(null));
                    described.put("amount", invoice.path("amount").decimalValue().toPlainString());
                    described.put("balance", invoice.path("balance").decimalValue().toPlainString());
                    described.put("creditAdj", invoice.path("creditAdj").decimalValue().toPlainString());
                    described.put("refundAdj", invoice.path("refundAdj").decimalValue().toPlainString());
                    described.put("items", items);
                    balance = balance.add(invoice.path("balance").decimalValue());
                    invoices.add(described);
                }
            }
        }
        part.put("subscriptions", subscriptions);
        part.put("seats", seats(subscriptions));
        part.put("invoices", invoices);
        part.put("balance", balance.toPlainString());
        return part;
    }

    /** Per plan: the seats subscribed (one subscription each), those cancelled (now or at the end of the term), the rest. */
    private static List<Map<String, Object>> seats(List<Map<String, Object>> subscriptions) {
        Map<String, int[]> byPlan = new LinkedHashMap<>();
        for (Map<String, Object> subscription : subscriptions) {
            int[] counts = byPlan.computeIfAbsent(String.valueOf(subscription.get("planName")), plan -> new int[2]);
            counts[0]++;
            if (subscription.get("cancelledDate") != null) {
                counts[1]++;
            }
        }
        List<Map<String, Object>> seats = new ArrayList<>();
        byPlan.forEach((plan, counts) -> seats.add(Map.of("planName", plan, "subscribed", counts[0],
                "cancelled", counts[1], "remaining", counts[0] - counts[1])));
        return seats;
    }

    /** Our subscription keys are "<order or change number>-<line>-<unit>". */
    private static boolean ofContract(String subscriptionKey, Set<String> keys) {
        return keys.stream().anyMatch(key -> subscriptionKey.startsWith(key + "-"));
    }

    /** Each change's lineage: its correlation id, how many hops, the last one; the full timeline via /api/v1/lineage. */
    private Map<String, Object> lineagePart(String orderNumber) {
        lineageRecorder.awaitRecorded();
        List<Map<String, Object>> changes = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("""
                        SELECT correlation_id, COUNT(*), MIN(at), MAX(at) FROM lineage WHERE business_key_key = ?
                        GROUP BY correlation_id ORDER BY MIN(at)""")) {
            select.setString(1, StoredText.keyOf(orderNumber));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String correlationId = StoredText.unescape(rs.getString(1));
                    Map<String, Object> change = new LinkedHashMap<>();
                    change.put("correlationId", correlationId);
                    change.put("hops", rs.getLong(2));
                    change.put("first", rs.getTimestamp(3).toInstant().toString());
                    change.put("last", rs.getTimestamp(4).toInstant().toString());
                    change.put("timeline", "/api/v1/lineage?correlationId="
                            + URLEncoder.encode(correlationId == null ? "" : correlationId, StandardCharsets.UTF_8));
                    changes.add(change);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the runtime database: " + e.getMessage(), e);
        }
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("changes", changes);
        return part;
    }
}
