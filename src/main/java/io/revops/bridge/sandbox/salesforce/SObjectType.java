package io.revops.bridge.sandbox.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An emulated sObject: its key prefix (the first three characters of every id), its fields and their types, which
 * fields are required, and its auto-number field (assigned by Salesforce, read-only), if any. Field order is the
 * order of the Change Data Capture schema, whose bitmaps refer to it.
 */
public record SObjectType(String name, String keyPrefix, Map<String, FieldType> fields, List<String> required,
        String autoNumberField) {

    public SObjectType(String name, String keyPrefix, Map<String, FieldType> fields, List<String> required) {
        this(name, keyPrefix, fields, required, null);
    }

    public enum FieldType { TEXT, NUMBER, BOOLEAN, DATETIME, REFERENCE }

    /** Fields every object has; Salesforce maintains them. */
    public static final List<String> SYSTEM_FIELDS = List.of("CreatedDate", "CreatedById", "LastModifiedDate",
            "LastModifiedById");

    /**
     * The components of an Address compound field, in the order of Salesforce's change event schema. The REST API
     * reads and writes them flat (BillingStreet, BillingCity, ...); Change Data Capture nests them in one record
     * field (BillingAddress.Street, BillingAddress.City, ...).
     */
    public static final List<String> ADDRESS_COMPONENTS = List.of("Street", "City", "State", "PostalCode", "Country",
            "StateCode", "CountryCode", "Latitude", "Longitude", "GeocodeAccuracy");

    /**
     * The Address compound fields of this object as Salesforce derives them from its flat fields: {@code
     * <prefix>Address} for every {@code <prefix>Street} field (Billing, Shipping, Mailing, Other), mapping each
     * component to the flat field that holds it (components the object lacks, e.g. BillingLatitude here, map to
     * nothing and are always null in events).
     */
    public Map<String, Map<String, String>> addressFields() {
        Map<String, Map<String, String>> compounds = new LinkedHashMap<>();
        for (String field : fields.keySet()) {
            if (field.endsWith("Street")) {
                String prefix = field.substring(0, field.length() - "Street".length());
                Map<String, String> components = new LinkedHashMap<>();
                for (String component : ADDRESS_COMPONENTS) {
                    if (fields.containsKey(prefix + component)) {
                        components.put(component, prefix + component);
                    }
                }
                compounds.put(prefix + "Address", components);
            }
        }
        return compounds;
    }

    public static SObjectType account() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("Name", FieldType.TEXT);
        fields.put("Industry", FieldType.TEXT);
        fields.put("Phone", FieldType.TEXT);
        fields.put("Website", FieldType.TEXT);
        fields.put("OwnerId", FieldType.REFERENCE);
        fields.put("BillingStreet", FieldType.TEXT);
        fields.put("BillingCity", FieldType.TEXT);
        fields.put("BillingPostalCode", FieldType.TEXT);
        fields.put("BillingState", FieldType.TEXT);
        fields.put("BillingCountry", FieldType.TEXT);
        fields.put("ShippingStreet", FieldType.TEXT);
        fields.put("ShippingCity", FieldType.TEXT);
        fields.put("ShippingPostalCode", FieldType.TEXT);
        fields.put("ShippingState", FieldType.TEXT);
        fields.put("ShippingCountry", FieldType.TEXT);
        fields.put("CurrencyIsoCode", FieldType.TEXT);
        fields.put("ERP_Customer_Number__c", FieldType.TEXT);
        return new SObjectType("Account", "001", withSystemFields(fields), List.of("Name"));
    }

    /**
     * Order as the quote-to-cash flow uses it: Status goes Draft -> Activated in Salesforce; the ERP_* and Billing_*
     * custom fields are what the runtime writes back (the ERP owns the order's status after activation).
     */
    public static SObjectType order() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("OrderNumber", FieldType.TEXT);
        fields.put("AccountId", FieldType.REFERENCE);
        fields.put("Status", FieldType.TEXT);
        fields.put("EffectiveDate", FieldType.TEXT);
        fields.put("ActivatedDate", FieldType.DATETIME);
        fields.put("CurrencyIsoCode", FieldType.TEXT);
        fields.put("TotalAmount", FieldType.NUMBER);
        fields.put("OwnerId", FieldType.REFERENCE);
        fields.put("ERP_Status__c", FieldType.TEXT);
        fields.put("ERP_Sale_Number__c", FieldType.TEXT);
        fields.put("ERP_Status_Reason__c", FieldType.TEXT);
        fields.put("Billing_Status__c", FieldType.TEXT);
        return new SObjectType("Order", "801", withSystemFields(fields), List.of("AccountId", "Status", "EffectiveDate"),
                "OrderNumber");
    }

    /**
     * Order product. Product_Code__c is a formula (Product2.ProductCode) in a real org; Charge_Type__c and
     * Billing_Frequency__c are what CPQ calls SBQQ__ChargeType__c and SBQQ__BillingFrequency__c.
     */
    public static SObjectType orderItem() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("OrderItemNumber", FieldType.TEXT);
        fields.put("OrderId", FieldType.REFERENCE);
        fields.put("Product_Code__c", FieldType.TEXT);
        fields.put("Description", FieldType.TEXT);
        fields.put("Quantity", FieldType.NUMBER);
        fields.put("UnitPrice", FieldType.NUMBER);
        fields.put("Charge_Type__c", FieldType.TEXT);
        fields.put("Billing_Frequency__c", FieldType.TEXT);
        fields.put("Term_Months__c", FieldType.NUMBER);
        return new SObjectType("OrderItem", "802", withSystemFields(fields), List.of("OrderId", "Quantity"),
                "OrderItemNumber");
    }

    /** Invoice__c: the invoices of an account as finance sees them, keyed by the external id Invoice_Number__c. */
    public static SObjectType invoice() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("Invoice_Number__c", FieldType.TEXT);
        fields.put("Account__c", FieldType.REFERENCE);
        fields.put("Order_Number__c", FieldType.TEXT);
        fields.put("Source_System__c", FieldType.TEXT);
        fields.put("Status__c", FieldType.TEXT);
        fields.put("Invoice_Date__c", FieldType.TEXT);
        fields.put("Due_Date__c", FieldType.TEXT);
        fields.put("CurrencyIsoCode", FieldType.TEXT);
        fields.put("Total_Amount__c", FieldType.NUMBER);
        fields.put("Balance__c", FieldType.NUMBER);
        return new SObjectType("Invoice__c", "a01", withSystemFields(fields), List.of("Invoice_Number__c"));
    }

    private static Map<String, FieldType> withSystemFields(Map<String, FieldType> fields) {
        SYSTEM_FIELDS.forEach(f -> fields.put(f, f.endsWith("Date") ? FieldType.DATETIME : FieldType.REFERENCE));
        return fields;
    }
}
