package io.revops.bridge.policy;

/**
 * A failure that may succeed when tried again later: timeouts, connection refused, HTTP 5xx, throttling,
 * lock contention. Route policies redeliver these with exponential backoff; adapters wrap the transport's
 * own exceptions in this type so route files can name one transient type.
 */
public class TransientFailureException extends RuntimeException {
    private final String system;

    public TransientFailureException(String system, String message, Throwable cause) {
        super(system + ": " + message, cause);
        this.system = system;
    }

    public TransientFailureException(String system, String message) {
        this(system, message, null);
    }

    public String system() {
        return system;
    }
}
