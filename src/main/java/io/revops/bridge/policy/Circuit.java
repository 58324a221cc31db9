package io.revops.bridge.policy;

import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * The circuit breaker of one external system, around every call an adapter makes to it. Only
 * {@link TransientFailureException}s count as failures: a business refusal means the system is up. While the
 * circuit is not closed every call fails with {@link CircuitOpenException}.
 */
public final class Circuit {
    private final String system;
    private final CircuitBreaker breaker;

    Circuit(String system, CircuitBreaker breaker) {
        this.system = system;
        this.breaker = breaker;
    }

    /** For contract tests and tools that talk to a system directly, outside the runtime's circuits. */
    public static Circuit unguarded(String system) {
        return new Circuit(system, null);
    }

    public <T> T call(Supplier<T> call) {
        if (breaker == null) {
            return call.get();
        }
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException open) {
            throw new CircuitOpenException(system, null);
        } catch (TransientFailureException failure) {
            // the failure that opened the circuit, or a failed trial call: the event waits like the ones behind it
            // rather than using up its redeliveries and landing in the dead-letter store
            if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                throw new CircuitOpenException(system, failure);
            }
            throw failure;
        }
    }

    /** CLOSED, OPEN or HALF_OPEN; always CLOSED when unguarded. */
    public String state() {
        return breaker == null ? "CLOSED" : breaker.getState().name();
    }
}
