package io.revops.bridge.policy;

/**
 * A call was not made because the circuit of its system is open. Route policies neither retry this as an ordinary
 * transient failure nor dead-letter it: the event stays in Kafka (its offset is not committed) until the circuit lets
 * calls through again.
 */
public class CircuitOpenException extends RuntimeException {
    /**
     * @param lastFailure the failure that opened it, if this call made one; only its message is kept, as Camel
     *                    matches route policies on causes first and it must not pick the transient policy
     */
    public CircuitOpenException(String system, Throwable lastFailure) {
        super(system + ": circuit open, calls suspended until it recovers"
                + (lastFailure == null ? "" : " (last failure: " + lastFailure.getMessage() + ")"));
    }
}
