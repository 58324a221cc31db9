package io.revops.bridge.sandbox.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An emulated sObject as the org file describes it (see {@link OrgDefinition}): its key prefix (the first three
 * characters of every id), its fields with their describe attributes, its child relationships, and whether it
 * publishes Change Data Capture. Field order is the file's order, which is the order of the Change Data Capture
 * schema (whose bitmaps refer to it). Names are looked up case-insensitively, as Salesforce does.
 */
public record SObjectType(String name, String label, String labelPlural, String keyPrefix, boolean custom,
        boolean changeDataCapture, List<SObjectField> describedFields, List<ChildRelationship> childRelationships) {

    /**
     * What the emulator stores and compares a field's values as (the describe type is {@link SObjectField#type()}):
     * TEXT a String, NUMBER a Double, BOOLEAN a Boolean, DATE a yyyy-MM-dd String, DATETIME an Instant, REFERENCE an
     * 18-character id String, ADDRESS a compound whose values live in its component fields.
     */
    public enum FieldType { TEXT, NUMBER, BOOLEAN, DATE, DATETIME, REFERENCE, ADDRESS }

    /** A parent's list of child records, e.g. Order.OrderItems = the OrderItems whose OrderId is the order. */
    public record ChildRelationship(String relationshipName, String childSObject, String field) {
    }

    /** Fields every object has; Salesforce maintains them. */
    public static final List<String> SYSTEM_FIELDS = List.of("CreatedDate", "CreatedById", "LastModifiedDate",
            "LastModifiedById");

    /** The record's own fields that REST and change events carry as fields (not Id, IsDeleted, compounds). */
    private static final List<String> NOT_DATA = List.of("Id", "IsDeleted");

    /**
     * The components of an Address compound field, in the order of Salesforce's change event schema. The REST API
     * reads and writes them flat (BillingStreet, BillingCity, ...); Change Data Capture nests them in one record
     * field (BillingAddress.Street, BillingAddress.City, ...).
     */
    public static final List<String> ADDRESS_COMPONENTS = List.of("Street", "City", "State", "PostalCode", "Country",
            "StateCode", "CountryCode", "Latitude", "Longitude", "GeocodeAccuracy");

    /** The flat data fields and their kinds, in file order: what change events carry (Id and IsDeleted excluded). */
    public Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        describedFields.stream().filter(f -> f.kind() != FieldType.ADDRESS && !NOT_DATA.contains(f.name()))
                .forEach(f -> fields.put(f.name(), f.kind()));
        return fields;
    }

    /** A field by name in any letter case, e.g. "billingcity" -> BillingCity. */
    public Optional<SObjectField> field(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return describedFields.stream().filter(f -> f.name().toLowerCase(Locale.ROOT).equals(lower)).findFirst();
    }

    /** Fields a create must set. */
    public List<String> required() {
        return describedFields.stream().filter(SObjectField::required).map(SObjectField::name).toList();
    }

    /** The auto-number field (assigned by Salesforce on create, read-only), or null. */
    public String autoNumberField() {
        return describedFields.stream().filter(SObjectField::autoNumber).map(SObjectField::name).findFirst().orElse(null);
    }

    /** The reference field whose relationshipName is the given one (any case), e.g. "account" -> AccountId. */
    public Optional<SObjectField> parentRelationship(String relationshipName) {
        return describedFields.stream().filter(f -> f.relationshipName() != null
                && f.relationshipName().equalsIgnoreCase(relationshipName)).findFirst();
    }

    public Optional<ChildRelationship> childRelationship(String relationshipName) {
        return childRelationships.stream().filter(c -> c.relationshipName().equalsIgnoreCase(relationshipName)).findFirst();
    }

    /**
     * The Address compound fields of this object: each compound field (BillingAddress) mapping its components, in
     * the order of {@link #ADDRESS_COMPONENTS}, to the flat field that holds it (components the org file does not
     * give the compound, e.g. BillingLatitude here, map to nothing and are always null in events).
     */
    public Map<String, Map<String, String>> addressFields() {
        Map<String, Map<String, String>> compounds = new LinkedHashMap<>();
        for (SObjectField compound : describedFields) {
            if (compound.kind() == FieldType.ADDRESS) {
                Map<String, String> components = new LinkedHashMap<>();
                for (String component : ADDRESS_COMPONENTS) {
                    if (compound.components().contains(component)) {
                        components.put(component, addressPrefix(compound.name()) + component);
                    }
                }
                compounds.put(compound.name(), components);
            }
        }
        return compounds;
    }

    /** BillingAddress -> Billing: the prefix of its flat component fields. */
    static String addressPrefix(String compoundName) {
        return compoundName.endsWith("Address") ? compoundName.substring(0, compoundName.length() - "Address".length())
                : compoundName;
    }

    public static SObjectType account() {
        return OrgDefinition.defaults().object("Account");
    }

    public static SObjectType order() {
        return OrgDefinition.defaults().object("Order");
    }

    public static SObjectType orderItem() {
        return OrgDefinition.defaults().object("OrderItem");
    }

    public static SObjectType invoice() {
        return OrgDefinition.defaults().object("Invoice__c");
    }
}
