package io.revops.bridge.erp;

/**
 * The ERP customer behind one of our accounts.
 *
 * @param partyId        Tryton's party id
 * @param key            our key (the Salesforce account id), kept as a party identifier
 * @param customerNumber the ERP's customer number: the party code Tryton assigns from its sequence (ERP-owned)
 * @param created        whether this call created the party
 */
public record ErpCustomer(int partyId, String key, String customerNumber, boolean created) {
}
