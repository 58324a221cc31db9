package io.revops.bridge.erp;

import io.revops.bridge.policy.BusinessException;

/**
 * Tryton refused a call (UserError, AccessError, domain validation, ...): reason code erp-rejected, with Tryton's
 * own error type and message kept apart so adapters can report Tryton's words without the call around them.
 */
public class ErpRejectedException extends BusinessException {
    private final String errorType;
    private final String trytonMessage;

    ErpRejectedException(String method, String errorType, String trytonMessage) {
        super("erp-rejected", "Tryton " + method + ": " + errorType + ": " + trytonMessage);
        this.errorType = errorType;
        this.trytonMessage = trytonMessage;
    }

    /** Tryton's exception class name, e.g. UserError. */
    public String errorType() {
        return errorType;
    }

    /** The message as Tryton worded it. */
    public String trytonMessage() {
        return trytonMessage;
    }
}
