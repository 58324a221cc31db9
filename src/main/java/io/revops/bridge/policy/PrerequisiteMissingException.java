package io.revops.bridge.policy;

/**
 * What this event needs is not in the target system yet: the order's customer has not reached the ERP, the
 * invoice a payment belongs to is not posted yet. Not a failure of the event: route policies park it per business
 * key ({@link ParkedEvents}) and offer it again, and only an event that has waited longer than its route allows
 * (since this runtime first saw it) becomes a business dead letter with this reason code.
 */
public class PrerequisiteMissingException extends BusinessException {
    public PrerequisiteMissingException(String reasonCode, String message) {
        super(reasonCode, message);
    }
}
