package io.revops.bridge.canonical;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Canonical account, v1 (schema: canonical/account.v1.json).
 *
 * accountId is our key: the Salesforce account id, since Salesforce owns the account. Attributes are split by
 * owner (mappings/ownership.json): name, address, industry, phone, website, ownerId belong to Salesforce;
 * customerNumber, creditLimit, paymentTerms, taxId belong to the ERP.
 *
 * changedAttributes lists the attributes the source changed; null means the event carries the full state
 * (a create or undelete). Attributes absent from a partial event are unknown, not cleared.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Account(
        String accountId,
        String name,
        String industry,
        String phone,
        String website,
        String ownerId,
        Address billingAddress,
        String currency,
        String customerNumber,
        Money creditLimit,
        String paymentTerms,
        String taxId,
        boolean deleted,
        SystemIds ids,
        List<String> changedAttributes) {
}
