package io.revops.bridge.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * revops.sync.latency{route}: from the source system's commit (the event's ce_time) to the end of the route that
 * applied it, once per event. The parts a route splits an event into (say the events it publishes afterwards) end
 * too, but they are not another event applied. The histogram's buckets reach a day: after an outage or a catch-up,
 * backlog latencies of minutes or hours land in a bucket, not all in +Inf.
 */
final class SyncLatency {
    private static final Duration SMALLEST = Duration.ofMillis(1);
    private static final Duration LARGEST = Duration.ofDays(1);

    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    SyncLatency(MeterRegistry meters) {
        this.meters = meters;
    }

    void applied(Exchange exchange, String committedAt) {
        if (exchange.getProperty(ExchangePropertyKey.SPLIT_INDEX) != null) {
            return;
        }
        Instant committed;
        try {
            committed = Instant.parse(committedAt);
        } catch (RuntimeException missingOrUnreadable) {
            return;
        }
        timers.computeIfAbsent(exchange.getFromRouteId(), route -> Timer.builder("revops.sync.latency").tag("route", route)
                .description("From the source system's commit to the write in the target system")
                .publishPercentileHistogram().minimumExpectedValue(SMALLEST).maximumExpectedValue(LARGEST)
                .register(meters))
                .record(Duration.between(committed, Instant.now()));
    }
}
