package io.revops.bridge.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The dead-letter store failing (database down, table gone): the failed event is not acknowledged, Kafka delivers it
 * again, and the store tries again. So that this is not a hot loop, each attempt after a failure first waits out an
 * exponential backoff (initial, doubling, capped at max: keep max well under Kafka's 5 min max.poll.interval); the log
 * says so once per {@code logEvery} with the number of failures since; readiness is DOWN and the counter
 * revops_dead_letter_store_failures_total grows until a store succeeds.
 */
public class StoreOutage {
    private static final Logger LOG = Logger.getLogger(StoreOutage.class);

    private final Duration initial;
    private final Duration max;
    private final Duration logEvery;
    private final Counter failures;
    private final AtomicLong unlogged = new AtomicLong();
    private volatile int consecutive;
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile Instant lastLogged = Instant.MIN;
    private volatile String lastError;

    public StoreOutage(MeterRegistry meters, Duration initial, Duration max, Duration logEvery) {
        this.initial = initial;
        this.max = max;
        this.logEvery = logEvery;
        this.failures = Counter.builder("revops.dead.letter.store.failures")
                .description("Dead letters that could not be stored (the event is delivered again)").register(meters);
    }

    /** Waits until the backoff after the last failure has passed; returns at once while the store works. */
    public void awaitNextAttempt() throws InterruptedException {
        if (consecutive == 0) {
            return;
        }
        long waitMillis = Duration.between(Instant.now(), nextAttempt).toMillis();
        if (waitMillis > 0) {
            TimeUnit.MILLISECONDS.sleep(waitMillis);
        }
    }

    public synchronized void failed(String route, Exception error) {
        consecutive++;
        failures.increment();
        lastError = DeadLetterStore.forLog(error.getClass().getSimpleName() + ": " + error.getMessage());
        long factor = 1L << Math.min(consecutive - 1, 20);
        Duration delay = initial.multipliedBy(factor);
        nextAttempt = Instant.now().plus(delay.compareTo(max) > 0 ? max : delay);
        long count = unlogged.incrementAndGet();
        if (Instant.now().isAfter(lastLogged.plus(logEvery))) {
            LOG.errorf("Dead-letter store failing (%d failed stores of dead letters or parked events since the last line, route %s): %s. The events stay in"
                    + " Kafka and are delivered again with backoff; readiness is DOWN until a store succeeds",
                    count, route, lastError);
            unlogged.set(0);
            lastLogged = Instant.now();
        }
    }

    public synchronized void succeeded() {
        if (consecutive > 0) {
            LOG.warnf("Dead-letter store recovered after %d failed stores", consecutive);
        }
        consecutive = 0;
        nextAttempt = Instant.MIN;
        unlogged.set(0);
        lastLogged = Instant.MIN;
    }

    public boolean failing() {
        return consecutive > 0;
    }

    public int consecutiveFailures() {
        return consecutive;
    }

    public String lastError() {
        return lastError;
    }
}
