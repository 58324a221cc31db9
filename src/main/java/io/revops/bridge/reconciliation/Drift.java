package io.revops.bridge.reconciliation;

/**
 * One disagreement found by a reconciliation run: what the system of record holds for a business key against what a
 * target holds. field, expected and actual are null where the kind has none (missing-in-target has no actual).
 *
 * @param object         account, order, invoice or payment
 * @param businessKey    the key the routes use (Salesforce account id, order number, Kill Bill invoice number, payment id)
 * @param kind           how the target disagrees
 * @param systemOfRecord salesforce, erp or billing: where the repair republishes from
 * @param target         salesforce, erp or billing: the system that disagrees
 * @param field          the canonical attribute that differs (field-, amount- and status-mismatch)
 * @param expected       the system of record's value, as text
 * @param actual         the target's value, as text
 */
public record Drift(String object, String businessKey, DriftKind kind, String systemOfRecord, String target, String field,
        String expected, String actual) {
}
