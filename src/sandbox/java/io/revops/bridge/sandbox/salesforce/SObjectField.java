package io.revops.bridge.sandbox.salesforce;

import java.util.List;

/**
 * A field of an emulated sObject as the org file describes it, with Salesforce's describe attributes. {@code type}
 * is the describe type name (string, picklist, currency, date, reference, address, ...); {@link #kind()} is what the
 * emulator stores and compares. An address field is the compound of its component fields ({@code BillingAddress} of
 * {@code BillingStreet}, ...); {@code compoundFieldName} names it on each component.
 */
public record SObjectField(String name, String label, String type, int length, int precision, int scale,
        boolean externalId, boolean unique, boolean nillable, boolean defaultedOnCreate, boolean autoNumber,
        boolean calculated, String formula, boolean createable, boolean updateable, List<String> picklistValues,
        List<String> referenceTo, String relationshipName, String compoundFieldName, List<String> components,
        boolean custom) {

    public SObjectType.FieldType kind() {
        return switch (type) {
            case "currency", "double", "int", "percent" -> SObjectType.FieldType.NUMBER;
            case "boolean" -> SObjectType.FieldType.BOOLEAN;
            case "date" -> SObjectType.FieldType.DATE;
            case "datetime" -> SObjectType.FieldType.DATETIME;
            case "reference", "id" -> SObjectType.FieldType.REFERENCE;
            case "address" -> SObjectType.FieldType.ADDRESS;
            default -> SObjectType.FieldType.TEXT;
        };
    }

    /** Has a length limit a write must respect (text kinds). */
    boolean hasLength() {
        return kind() == SObjectType.FieldType.TEXT && length > 0;
    }

    /** Salesforce maintains it: a create or update naming it is refused. */
    boolean readOnly() {
        return autoNumber || calculated || !createable && !updateable;
    }

    /** "Required" in Setup: a create must give it a value. */
    boolean required() {
        return !nillable && createable && !defaultedOnCreate && !autoNumber && !calculated;
    }
}
