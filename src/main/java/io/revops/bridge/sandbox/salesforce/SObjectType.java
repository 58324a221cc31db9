package io.revops.bridge.sandbox.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An emulated sObject: its key prefix (the first three characters of every id), its fields and their types, and
 * which fields are required. Field order is the order of the Change Data Capture schema, whose bitmaps refer to it.
 */
public record SObjectType(String name, String keyPrefix, Map<String, FieldType> fields, List<String> required) {

    public enum FieldType { TEXT, NUMBER, BOOLEAN, DATETIME, REFERENCE }

    /** Fields every object has; Salesforce maintains them. */
    public static final List<String> SYSTEM_FIELDS = List.of("CreatedDate", "CreatedById", "LastModifiedDate",
            "LastModifiedById");

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
        fields.put("CurrencyIsoCode", FieldType.TEXT);
        fields.put("ERP_Customer_Number__c", FieldType.TEXT);
        return new SObjectType("Account", "001", withSystemFields(fields), List.of("Name"));
    }

    private static Map<String, FieldType> withSystemFields(Map<String, FieldType> fields) {
        SYSTEM_FIELDS.forEach(f -> fields.put(f, f.endsWith("Date") ? FieldType.DATETIME : FieldType.REFERENCE));
        return fields;
    }
}
