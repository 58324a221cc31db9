package io.revops.bridge.ops;

import java.time.Instant;
import java.util.Map;

/** A dead letter as operators see it: what failed, where, why, how often, and the event as it entered the route. */
public record DeadLetter(
        String id,
        String routeId,
        String status,
        String category,
        String reasonCode,
        String exceptionType,
        String exceptionMessage,
        String eventId,
        String eventType,
        String correlationId,
        String businessKey,
        String sourceEndpoint,
        int attempts,
        Instant firstFailedAt,
        Instant lastFailedAt,
        String payload,
        Map<String, String> headers,
        /** event-id-conflict: the body applied first under the same id (payload is the one that came second). */
        String conflictingPayload) {

    /** The list view leaves the payload and headers out. */
    public DeadLetter summary() {
        return new DeadLetter(id, routeId, status, category, reasonCode, exceptionType, exceptionMessage, eventId, eventType,
                correlationId, businessKey, sourceEndpoint, attempts, firstFailedAt, lastFailedAt, null, null, null);
    }
}
