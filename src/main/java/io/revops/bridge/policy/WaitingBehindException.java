package io.revops.bridge.policy;

/**
 * An event whose business key already has events parked on its route: it waits behind them, so the events of one
 * key are applied in the order they arrived. It is parked like the event it waits for, never dead-lettered for it.
 */
public class WaitingBehindException extends PrerequisiteMissingException {
    public WaitingBehindException(String message) {
        super("waiting-behind", message);
    }
}
