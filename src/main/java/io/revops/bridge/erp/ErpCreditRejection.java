package io.revops.bridge.erp;

/**
 * A credit or refund the ERP refused, kept as a result (not thrown at once) so the refusal is published as the
 * change's status and shown on the Credit__c before the change becomes a business dead letter.
 *
 * @param rejectionCategory the refusal's reason code (invalid-change, currency-mismatch, erp-rejected)
 * @param rejectionReason   the refusal as the ERP step words it
 */
public record ErpCreditRejection(String rejectionCategory, String rejectionReason) {
}
