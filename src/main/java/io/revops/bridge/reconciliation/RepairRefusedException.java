package io.revops.bridge.reconciliation;

/**
 * A drift that republishing cannot repair (an amount that differs, a billing orphan, extra seats): a person decides
 * in the target system. The API answers 409 with the message, which says what to do; the drift stays open.
 */
public class RepairRefusedException extends RuntimeException {
    public RepairRefusedException(String message) {
        super(message);
    }
}
