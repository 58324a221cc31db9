package io.revops.bridge.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.revops.bridge.policy.BusinessException;

/**
 * Content enricher of the order inbound route: a change event says that an order was activated, not what was
 * ordered, so the order and its products are read from Salesforce (REST query). Orders are locked against edits
 * once activated, so what is read is what was activated.
 */
@ApplicationScoped
@Named("salesforceOrders")
public class SalesforceOrders {
    /** With what tells a change of a contract from a new order: Type Amendment (and the order it amends), reductions. */
    static final String ORDER_FIELDS = "Id, OrderNumber, AccountId, Status, EffectiveDate, ActivatedDate, CurrencyIsoCode, TotalAmount, "
            + "Type, IsReductionOrder, OriginalOrderId, OriginalOrder.OrderNumber, Cancellation_Policy__c, Amended_Order__c, "
            + "Amended_Order__r.OrderNumber";
    static final String ITEM_FIELDS = "Id, OrderItemNumber, Product_Code__c, Description, Quantity, UnitPrice, Charge_Type__c, "
            + "Billing_Frequency__c, Term_Months__c, Amended_Order_Item__c, Amended_Order_Item__r.OrderItemNumber, "
            + "Amended_Order_Item__r.Product_Code__c, Amended_Order_Item__r.Quantity, OriginalOrderItemId, OriginalOrderItem.OrderItemNumber, OriginalOrderItem.Quantity";

    private final SalesforceRecords records;

    @Inject
    public SalesforceOrders(SalesforceRecords records) {
        this.records = records;
    }

    /** The recurring products earlier amendments added to a contract: a reduction or a cancellation reaches their seats too. */
    static final String AMENDMENT_ITEM_FIELDS = "OrderItemNumber, Charge_Type__c, Order.OrderNumber, Amended_Order_Item__r.OrderItemNumber";

    /**
     * @param activation {orderId, ...} from the activation mapping; returns it with "order" and "items" added, and for
     *                   a reduction order or a renewal order "originalItems" (the products of the order it reduces: taking every one of
     *                   them to zero cancels the contract) and "amendmentItems" (the products of the original order's
     *                   activated amendments, with their order's number)
     */
    public Map<String, Object> withItems(Map<String, Object> activation) {
        String orderId = String.valueOf(activation.get("orderId"));
        if (!orderId.matches("[a-zA-Z0-9]{15,18}")) {
            throw new BusinessException("invalid-event", "not a Salesforce id: " + orderId);
        }
        List<Map<String, Object>> orders = records.query("SELECT " + ORDER_FIELDS + " FROM Order WHERE Id = '" + orderId + "'");
        if (orders.isEmpty()) {
            throw new BusinessException("unknown-order", "order " + orderId + " was activated but is gone from Salesforce");
        }
        Map<String, Object> enriched = new LinkedHashMap<>(activation);
        enriched.put("order", orders.get(0));
        enriched.put("items", records.query("SELECT " + ITEM_FIELDS + " FROM OrderItem WHERE OrderId = '" + orderId
                + "' ORDER BY OrderItemNumber"));
        if (contractOf(orders.get(0)) instanceof String original && original.matches("[a-zA-Z0-9]{15,18}")) {
            enriched.put("originalItems", records.query("SELECT Id, OrderItemNumber, Quantity FROM OrderItem WHERE OrderId = '"
                    + original + "' ORDER BY OrderItemNumber"));
            enriched.put("amendmentItems", amendmentItems(original));
        }
        return enriched;
    }

    /** The order whose whole contract a reduction order or a renewal order acts on; null for other orders. */
    private static Object contractOf(Map<String, Object> order) {
        return Boolean.TRUE.equals(order.get("IsReductionOrder")) ? order.get("OriginalOrderId")
                : "Renewal".equals(order.get("Type")) ? order.get("Amended_Order__c") : null;
    }

    private List<Map<String, Object>> amendmentItems(String originalOrderId) {
        List<String> amendments = records.query("SELECT Id FROM Order WHERE Amended_Order__c = '" + originalOrderId
                + "' AND Status = 'Activated' ORDER BY OrderNumber").stream().map(o -> String.valueOf(o.get("Id"))).toList();
        if (amendments.isEmpty()) {
            return List.of();
        }
        return records.query("SELECT " + AMENDMENT_ITEM_FIELDS + " FROM OrderItem WHERE OrderId IN ('"
                + String.join("', '", amendments) + "') ORDER BY OrderItemNumber");
    }
}
