package io.revops.bridge.policy;

/**
 * A change for an account the target does not hold, which the change alone cannot create (an update carries only
 * what changed). The account routes answer it with a resync from Salesforce (salesforce.AccountResync) rather than a
 * dead letter; anywhere else it is the business dead letter unknown-account.
 */
public class UnknownAccountException extends BusinessException {
    public UnknownAccountException(String message) {
        super("unknown-account", message);
    }
}
