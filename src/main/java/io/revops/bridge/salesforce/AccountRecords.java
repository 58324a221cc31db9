package io.revops.bridge.salesforce;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Salesforce Account read by REST (SOQL) as the canonical account v1 of its full state: what the account resync
 * publishes and what the reconciliation compares, so both read Salesforce the same way.
 */
public final class AccountRecords {
    /** The Account fields of a canonical account, as SOQL selects them. */
    public static final String FIELDS = "Id, Name, Industry, Phone, Website, OwnerId, BillingStreet, BillingCity,"
            + " BillingPostalCode, BillingState, BillingCountry, CurrencyIsoCode, ERP_Customer_Number__c";

    private AccountRecords() {
    }

    /** Every attribute Salesforce owns, null where the record has no value; not the ERP's customer number. */
    public static Map<String, Object> canonical(Map<String, Object> record) {
        Map<String, Object> account = new LinkedHashMap<>();
        String id = (String) record.get("Id");
        account.put("accountId", id);
        account.put("name", record.get("Name"));
        account.put("industry", record.get("Industry"));
        account.put("phone", record.get("Phone"));
        account.put("website", record.get("Website"));
        account.put("ownerId", record.get("OwnerId"));
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street", record.get("BillingStreet"));
        address.put("city", record.get("BillingCity"));
        address.put("postalCode", record.get("BillingPostalCode"));
        address.put("state", record.get("BillingState"));
        address.put("country", record.get("BillingCountry"));
        account.put("billingAddress", address);
        account.put("currency", record.get("CurrencyIsoCode"));
        account.put("deleted", false);
        account.put("ids", Map.of("salesforce", id));
        return account;
    }
}
