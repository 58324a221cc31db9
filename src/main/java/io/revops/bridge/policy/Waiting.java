package io.revops.bridge.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * How long an event may wait for what it needs (policy of the routes that throw
 * {@link PrerequisiteMissingException}): measured from the event's own time (ce_time), so the wait survives
 * restarts and hand-backs to Kafka without any state of ours.
 */
@ApplicationScoped
@Named("waiting")
public class Waiting {

    /** True while an event that happened at {@code eventTime} (ISO-8601) has waited less than {@code limit}. */
    public boolean withinLimit(String eventTime, String limit) {
        // an event without a readable time cannot be held indefinitely: it is dead-lettered with its reason
        if (eventTime == null) {
            return false;
        }
        try {
            return Instant.parse(eventTime).plus(Duration.parse(limit)).isAfter(Instant.now());
        } catch (DateTimeParseException unreadable) {
            return false;
        }
    }
}
