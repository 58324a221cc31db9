package io.revops.bridge.policy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.revops.bridge.canonical.CloudEvent;
import io.revops.bridge.mapping.Json;

/**
 * The durable end of every route's dead-letter channel. Stores the failed event as it entered the route
 * (payload and headers, so it can be replayed through the same route) with its context: route, category
 * (business or technical), reason, exception, correlation id, business key, attempts and times.
 *
 * If the database itself fails, the exception propagates: route policies set deadLetterHandleNewException=false
 * so the consumer does not acknowledge the event, and it is delivered again rather than lost.
 */
@ApplicationScoped
@Named("deadLetters")
public class DeadLetterStore {
    public static final String CATEGORY_BUSINESS = "business";
    public static final String CATEGORY_TECHNICAL = "technical";
    /** Set by routes that know the business key before it is in a ce_subject header. */
    public static final String BUSINESS_KEY_HEADER = "revopsBusinessKey";

    private static final Logger LOG = Logger.getLogger(DeadLetterStore.class);
    private static final Pattern SECRET_HEADER = Pattern.compile("(?i).*(password|secret|token|authorization|api-?key|cookie).*");
    private static final int MAX_MESSAGE = 4000;

    private final DataSource dataSource;
    private final Json json;
    private final MeterRegistry meters;

    @Inject
    public DeadLetterStore(DataSource dataSource, Json json, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.json = json;
        this.meters = meters;
    }

    public void record(Exchange exchange) throws SQLException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message original = originalMessage(exchange);
        Message current = exchange.getMessage();
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (routeId == null) {
            routeId = exchange.getFromRouteId();
        }
        String category = failure instanceof BusinessException ? CATEGORY_BUSINESS : CATEGORY_TECHNICAL;
        String reason = reasonOf(failure);
        String eventId = header(current, original, CloudEvent.ID);
        String businessKey = firstNonNull(header(current, original, CloudEvent.SUBJECT),
                header(current, original, BUSINESS_KEY_HEADER));
        String correlationId = header(current, original, CloudEvent.CORRELATION_ID);
        int attempts = 1 + current.getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        Timestamp now = Timestamp.from(Instant.now());
        String message = failure == null ? null : truncate(String.valueOf(failure.getMessage()));

        try (Connection connection = dataSource.getConnection()) {
            if (eventId != null && reopen(connection, routeId, eventId, failure, message, attempts, now)) {
                LOG.warnf("Dead letter again: route=%s category=%s reason=%s key=%s correlation=%s: %s",
                        routeId, category, reason, businessKey, correlationId, message);
                counter(routeId, category).increment();
                return;
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO dead_letter (id, route_id, category, reason_code, exception_type, exception_message,
                        event_id, event_type, correlation_id, business_key, endpoint_uri, payload, headers, attempts,
                        first_failed_at, last_failed_at, status, source_endpoint)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)""")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, routeId);
                insert.setString(3, category);
                insert.setString(4, reason);
                insert.setString(5, failure == null ? "unknown" : failure.getClass().getName());
                insert.setString(6, message);
                insert.setString(7, eventId);
                insert.setString(8, header(current, original, CloudEvent.TYPE));
                insert.setString(9, correlationId);
                insert.setString(10, businessKey);
                insert.setString(11, exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class));
                insert.setString(12, payloadOf(original.getBody()));
                insert.setString(13, json.write(safeHeaders(original.getHeaders())));
                insert.setInt(14, attempts);
                insert.setTimestamp(15, now);
                insert.setTimestamp(16, now);
                insert.setString(17, exchange.getFromEndpoint() == null ? null : exchange.getFromEndpoint().getEndpointUri());
                insert.executeUpdate();
            }
        }
        LOG.warnf("Dead letter: route=%s category=%s reason=%s key=%s correlation=%s: %s",
                routeId, category, reason, businessKey, correlationId, message);
        counter(routeId, category).increment();
    }

    private Counter counter(String routeId, String category) {
        return Counter.builder("revops.dead.letters").description("Events moved to the dead-letter store")
                .tag("route", routeId).tag("category", category).register(meters);
    }

    private boolean reopen(Connection connection, String routeId, String eventId, Throwable failure, String message,
            int attempts, Timestamp now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE dead_letter SET attempts = attempts + ?, last_failed_at = ?, exception_type = ?,
                    exception_message = ?, status = 'open'
                WHERE route_id = ? AND event_id = ?""")) {
            update.setInt(1, attempts);
            update.setTimestamp(2, now);
            update.setString(3, failure == null ? "unknown" : failure.getClass().getName());
            update.setString(4, message);
            update.setString(5, routeId);
            update.setString(6, eventId);
            return update.executeUpdate() > 0;
        }
    }

    static String reasonOf(Throwable failure) {
        if (failure instanceof BusinessException business) {
            return business.reasonCode();
        }
        if (failure instanceof TransientFailureException) {
            return "retries-exhausted";
        }
        return "unexpected-error";
    }

    private static Message originalMessage(Exchange exchange) {
        boolean kept = exchange.getContext().isAllowUseOriginalMessage() && exchange.getUnitOfWork() != null;
        Message original = kept ? exchange.getUnitOfWork().getOriginalInMessage() : null;
        return original != null ? original : exchange.getMessage();
    }

    private static String header(Message current, Message original, String name) {
        Object value = current.getHeader(name);
        if (value == null) {
            value = original.getHeader(name);
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null ? null : value.toString();
    }

    private String payloadOf(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body instanceof String || body instanceof org.apache.avro.generic.GenericRecord) {
            return body.toString();
        }
        return json.write(body);
    }

    /** Header values as text, with anything that looks like a credential masked. */
    static Map<String, String> safeHeaders(Map<String, Object> headers) {
        Map<String, String> safe = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
            safe.put(name, SECRET_HEADER.matcher(name).matches() ? "***" : text);
        });
        return safe;
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
