package io.revops.bridge.policy;

/**
 * A failure that retrying cannot fix: the input breaks a business rule or the target system refused it
 * (invalid event, unknown product, credit hold, duplicate value, ERP rejection). Never redelivered: it goes
 * straight to the dead-letter store with its reason code so an operator can repair and replay it.
 */
public class BusinessException extends RuntimeException {
    private final String reasonCode;

    public BusinessException(String reasonCode, String message) {
        this(reasonCode, message, null);
    }

    public BusinessException(String reasonCode, String message, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    /** A stable, kebab-case code such as invalid-event, unknown-account, erp-rejected. */
    public String reasonCode() {
        return reasonCode;
    }
}
