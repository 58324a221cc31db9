package io.revops.bridge.policy;

/**
 * What this event needs is not in the target system yet: the order's customer has not reached the ERP, the
 * invoice a payment belongs to is not posted yet. Not a failure of the event: route policies wait and try again
 * (the event stays in Kafka), and only an event that has waited longer than its route allows becomes a business
 * dead letter with this reason code.
 */
public class PrerequisiteMissingException extends BusinessException {
    public PrerequisiteMissingException(String reasonCode, String message) {
        super(reasonCode, message);
    }
}
