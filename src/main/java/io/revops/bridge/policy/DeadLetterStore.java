package io.revops.bridge.policy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
 * Any event can be stored: values of any length go whole into unbounded columns (NUL escaped, see
 * {@link StoredText}), and what is unique is (route, key form of the event id, content hash): a second failure of the
 * same body updates its dead letter, another body under the same id gets its own row.
 *
 * If the database itself fails, the exception propagates: route policies set deadLetterHandleNewException=false
 * so the consumer does not acknowledge the event, and it is delivered again rather than lost, after a backoff
 * ({@link StoreOutage}).
 */
@ApplicationScoped
@Named("deadLetters")
public class DeadLetterStore {
    public static final String CATEGORY_BUSINESS = "business";
    public static final String CATEGORY_TECHNICAL = "technical";
    /** Set by routes that know the business key before it is in a ce_subject header. */
    public static final String BUSINESS_KEY_HEADER = "revopsBusinessKey";
    /** Exchange property: the body applied first under an id this event reuses (event-id-conflict). */
    public static final String CONFLICTING_PAYLOAD = "revops.conflictingPayload";

    private static final Logger LOG = Logger.getLogger(DeadLetterStore.class);
    private static final Pattern SECRET_HEADER = Pattern.compile("(?i).*(password|secret|token|authorization|api-?key|cookie).*");
    private static final int MAX_MESSAGE = 4000;
    private static final int MAX_LOGGED = 300;

    private final DataSource dataSource;
    private final Json json;
    private final MeterRegistry meters;
    private final StoreOutage outage;

    public DeadLetterStore(DataSource dataSource, Json json, MeterRegistry meters) {
        this(dataSource, json, meters, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Inject
    public DeadLetterStore(DataSource dataSource, Json json, MeterRegistry meters,
            @ConfigProperty(name = "revops.dead-letter.store-retry.initial", defaultValue = "PT1S") Duration retryInitial,
            @ConfigProperty(name = "revops.dead-letter.store-retry.max", defaultValue = "PT30S") Duration retryMax,
            @ConfigProperty(name = "revops.dead-letter.store-retry.log-every", defaultValue = "PT30S") Duration logEvery) {
        this.dataSource = dataSource;
        this.json = json;
        this.meters = meters;
        this.outage = new StoreOutage(meters, retryInitial, retryMax, logEvery);
    }

    /** Whether the store is failing now (readiness check dead-letter-store). */
    public StoreOutage outage() {
        return outage;
    }

    public void record(Exchange exchange) throws SQLException, InterruptedException {
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (routeId == null) {
            routeId = exchange.getFromRouteId();
        }
        outage.awaitNextAttempt();
        try {
            store(exchange, routeId);
            outage.succeeded();
        } catch (SQLException | RuntimeException storeFailed) {
            outage.failed(routeId, storeFailed);
            throw storeFailed;
        }
    }

    private void store(Exchange exchange, String routeId) throws SQLException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message original = originalMessage(exchange);
        Message current = exchange.getMessage();
        String category = Failures.category(failure);
        String reason = Failures.reasonCode(failure);
        String eventId = firstNonNull(ConsumedEvents.consumed(exchange, ConsumedEvents.EVENT_ID),
                header(original, current, CloudEvent.ID));
        String eventType = firstNonNull(ConsumedEvents.consumed(exchange, ConsumedEvents.EVENT_TYPE),
                header(original, current, CloudEvent.TYPE));
        String businessKey = firstNonNull(header(current, original, CloudEvent.SUBJECT),
                header(current, original, BUSINESS_KEY_HEADER));
        String correlationId = header(current, original, CloudEvent.CORRELATION_ID);
        String payload = payloadOf(original.getBody());
        String contentHash = StoredText.sha256(payload);
        int attempts = 1 + current.getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        Timestamp now = Timestamp.from(Instant.now());
        String message = truncate(Failures.message(failure));

        try (Connection connection = dataSource.getConnection()) {
            if (eventId != null && reopen(connection, routeId, eventId, contentHash, failure, message, attempts, now)) {
                LOG.warnf("Dead letter again: route=%s category=%s reason=%s key=%s correlation=%s: %s",
                        routeId, category, reason, forLog(businessKey), forLog(correlationId), forLog(message));
                counter(routeId, category).increment();
                return;
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO dead_letter (id, route_id, category, reason_code, exception_type, exception_message,
                        event_id, event_type, correlation_id, business_key, endpoint_uri, payload, headers, attempts,
                        first_failed_at, last_failed_at, status, source_endpoint, event_key, business_key_key,
                        content_hash, conflicting_payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)""")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, routeId);
                insert.setString(3, category);
                insert.setString(4, reason);
                insert.setString(5, failure == null ? "unknown" : failure.getClass().getName());
                insert.setString(6, StoredText.escape(message));
                insert.setString(7, StoredText.escape(eventId));
                insert.setString(8, StoredText.escape(eventType));
                insert.setString(9, StoredText.escape(correlationId));
                insert.setString(10, StoredText.escape(businessKey));
                insert.setString(11, StoredText.escape(exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class)));
                insert.setString(12, StoredText.escape(payload));
                insert.setString(13, StoredText.escape(json.write(safeHeaders(original.getHeaders()))));
                insert.setInt(14, attempts);
                insert.setTimestamp(15, now);
                insert.setTimestamp(16, now);
                insert.setString(17, exchange.getFromEndpoint() == null ? null
                        : StoredText.escape(exchange.getFromEndpoint().getEndpointUri()));
                insert.setString(18, StoredText.keyOf(eventId));
                insert.setString(19, StoredText.keyOf(businessKey));
                insert.setString(20, contentHash);
                insert.setString(21, StoredText.escape(exchange.getProperty(CONFLICTING_PAYLOAD, String.class)));
                insert.executeUpdate();
            }
        }
        LOG.warnf("Dead letter: route=%s category=%s reason=%s key=%s correlation=%s: %s",
                routeId, category, reason, forLog(businessKey), forLog(correlationId), forLog(message));
        counter(routeId, category).increment();
    }

    private Counter counter(String routeId, String category) {
        return Counter.builder("revops.dead.letters").description("Events moved to the dead-letter store")
                .tag("route", routeId).tag("category", category).register(meters);
    }

    /** The same body failing again on the same route: one dead letter, more attempts, the latest error. */
    private boolean reopen(Connection connection, String routeId, String eventId, String contentHash, Throwable failure,
            String message, int attempts, Timestamp now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE dead_letter SET attempts = attempts + ?, last_failed_at = ?, exception_type = ?,
                    exception_message = ?, reason_code = ?, category = ?, status = 'open'
                WHERE route_id = ? AND event_key = ? AND content_hash = ?""")) {
            update.setInt(1, attempts);
            update.setTimestamp(2, now);
            update.setString(3, failure == null ? "unknown" : failure.getClass().getName());
            update.setString(4, StoredText.escape(message));
            update.setString(5, Failures.reasonCode(failure));
            update.setString(6, Failures.category(failure));
            update.setString(7, routeId);
            update.setString(8, StoredText.keyOf(eventId));
            update.setString(9, contentHash);
            return update.executeUpdate() > 0;
        }
    }

    private static Message originalMessage(Exchange exchange) {
        boolean kept = exchange.getContext().isAllowUseOriginalMessage() && exchange.getUnitOfWork() != null;
        Message original = kept ? exchange.getUnitOfWork().getOriginalInMessage() : null;
        return original != null ? original : exchange.getMessage();
    }

    private static String header(Message first, Message second, String name) {
        Object value = first.getHeader(name);
        if (value == null) {
            value = second.getHeader(name);
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

    /** Values from the outside in one log line: bounded, control and format characters made visible. */
    static String forLog(String value) {
        if (value == null) {
            return null;
        }
        String bounded = value.length() <= MAX_LOGGED ? value : value.substring(0, MAX_LOGGED) + "...(" + value.length() + " chars)";
        StringBuilder safe = new StringBuilder(bounded.length());
        bounded.codePoints().forEach(c -> {
            // control characters forge lines and terminal output; format characters (RTL overrides) hide text
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                safe.append(String.format("\\u%04x", c));
            } else {
                safe.appendCodePoint(c);
            }
        });
        return safe.toString();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
