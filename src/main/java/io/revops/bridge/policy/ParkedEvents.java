package io.revops.bridge.policy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.revops.bridge.canonical.CloudEvent;
import io.revops.bridge.mapping.Json;

/**
 * Events that wait for another system (an order for its customer in the ERP, a payment for its invoice), parked per
 * (route, business key) in the database (table parked_event) instead of holding their Kafka partition: the offset is
 * committed, the idempotency key is not (the event is not applied yet), and the route goes on with other keys.
 * <ul>
 * <li>{@link #holdBehindWaiting}: a step of the waiting routes; an event whose key already has parked events is
 * parked behind them, so one key's events keep their order;</li>
 * <li>{@link #park}: the waiting routes' policy for {@link PrerequisiteMissingException} while {@link #withinLimit};</li>
 * <li>{@link ParkedEventRechecker} offers the head event of each parked key to its route again, until it is applied
 * or has waited longer than revops.wait.limit since this runtime first saw it (first_seen_at; the sender's ce_time
 * plays no part): then the route's policy makes it a business dead letter with its reason.</li>
 * </ul>
 */
@ApplicationScoped
@Named("parkedEvents")
public class ParkedEvents {
    /** Exchange property: the exchange's event was parked (the idempotent repository does not record it). */
    public static final String PARKED = "revopsParked";
    /** Exchange property: the id of the parked_event row being offered again (set only by the re-checker). */
    public static final String PARKED_ROW = "revopsParkedRow";

    private static final Logger LOG = Logger.getLogger(ParkedEvents.class);

    private final DataSource dataSource;
    private final Json json;
    private final StoreOutage outage;
    private final Duration limit;

    @Inject
    public ParkedEvents(DataSource dataSource, Json json, DeadLetterStore deadLetters, MeterRegistry meters,
            @ConfigProperty(name = "revops.wait.limit", defaultValue = "PT15M") Duration limit) {
        this.dataSource = dataSource;
        this.outage = deadLetters.outage();
        this.json = json;
        this.limit = limit;
        Gauge.builder("revops.parked.events", this, ParkedEvents::countOrNaN)
                .description("Events parked until what they wait for reaches the target system").register(meters);
    }

    public static boolean isParked(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(PARKED, Boolean.class));
    }

    /** Parks the event behind earlier events of its key that wait on this route. */
    public void holdBehindWaiting(Exchange exchange) {
        if (exchange.getProperty(PARKED_ROW) != null) {
            return; // the head of its key, offered again
        }
        String key = businessKey(exchange);
        try {
            int waiting = parkedCount(exchange.getFromRouteId(), key);
            if (waiting > 0) {
                throw new WaitingBehindException("waits behind " + waiting + " earlier event(s) of "
                        + DeadLetterStore.forLog(key) + " parked on " + exchange.getFromRouteId());
            }
        } catch (SQLException e) {
            // the database hiccups: redelivered by the route's transient policy, never applied out of order
            throw new TransientFailureException("database", "parked events of " + exchange.getFromRouteId()
                    + " not read: " + e.getMessage(), e);
        }
    }

    private int parkedCount(String routeId, String key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement count = c.prepareStatement(
                "SELECT COUNT(*) FROM parked_event WHERE route_id = ? AND business_key_key = ?")) {
            count.setString(1, routeId);
            count.setString(2, StoredText.keyOf(key));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** True while the event may still wait: always at first sight, then until revops.wait.limit after it. */
    public boolean withinLimit(Exchange exchange) {
        Long row = exchange.getProperty(PARKED_ROW, Long.class);
        if (row == null) {
            return !limit.isNegative() && !limit.isZero();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT first_seen_at FROM parked_event WHERE id = ?")) {
            select.setLong(1, row);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getTimestamp(1).toInstant().plus(limit).isAfter(Instant.now());
            }
        } catch (SQLException e) {
            // unknown: keep waiting rather than dead-letter on a hiccup; parking it again meets the same outage
            return true;
        }
    }

    /** Parks the event as it entered the route (or, offered again, counts the attempt on its row). */
    public void park(Exchange exchange) throws SQLException, InterruptedException {
        // parking is storing the event like a dead letter: a database that fails is the same outage, with its backoff
        outage.awaitNextAttempt();
        try {
            store(exchange);
            outage.succeeded();
        } catch (SQLException | RuntimeException storeFailed) {
            outage.failed(exchange.getFromRouteId(), storeFailed);
            throw storeFailed;
        }
        exchange.setProperty(PARKED, true);
    }

    private void store(Exchange exchange) throws SQLException {
        Throwable waitingFor = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = Failures.reasonCode(waitingFor);
        String message = Failures.message(waitingFor);
        Timestamp now = Timestamp.from(Instant.now());
        Long row = exchange.getProperty(PARKED_ROW, Long.class);
        String routeId = exchange.getFromRouteId();
        String key = businessKey(exchange);
        try (Connection c = dataSource.getConnection()) {
            if (row != null) {
                try (PreparedStatement update = c.prepareStatement("UPDATE parked_event SET attempts = attempts + 1,"
                        + " last_tried_at = ?, last_reason = ?, last_message = ? WHERE id = ?")) {
                    update.setTimestamp(1, now);
                    update.setString(2, reason);
                    update.setString(3, StoredText.escape(message));
                    update.setLong(4, row);
                    update.executeUpdate();
                }
            } else if (!alreadyParked(c, routeId, key, eventId(exchange), contentHash(exchange))) {
                insert(c, exchange, routeId, key, reason, message, now);
                LOG.infof("Parked on %s: %s %s waits (%s)", routeId, DeadLetterStore.forLog(key),
                        DeadLetterStore.forLog(eventId(exchange)), DeadLetterStore.forLog(message));
            }
        }
    }

    private void insert(Connection c, Exchange exchange, String routeId, String key, String reason, String message,
            Timestamp now) throws SQLException {
        Message original = exchange.getUnitOfWork() != null && exchange.getUnitOfWork().getOriginalInMessage() != null
                ? exchange.getUnitOfWork().getOriginalInMessage() : exchange.getMessage();
        Map<String, String> headers = new LinkedHashMap<>();
        original.getHeaders().forEach((name, value) -> {
            if (value != null) {
                headers.put(name, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString());
            }
        });
        Object body = original.getBody();
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO parked_event (route_id, business_key, business_key_key, event_id, event_type, first_seen_at,
                    last_tried_at, attempts, last_reason, last_message, payload, headers, content_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, routeId);
            insert.setString(2, StoredText.escape(key));
            insert.setString(3, StoredText.keyOf(key));
            insert.setString(4, StoredText.escape(eventId(exchange)));
            insert.setString(5, StoredText.escape(ConsumedEvents.consumed(exchange, ConsumedEvents.EVENT_TYPE)));
            insert.setTimestamp(6, now);
            insert.setTimestamp(7, now);
            insert.setString(8, reason);
            insert.setString(9, StoredText.escape(message));
            insert.setString(10, StoredText.escape(body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                    : body == null ? null : body instanceof String text ? text : json.write(body)));
            insert.setString(11, StoredText.escape(json.write(headers)));
            insert.setString(12, contentHash(exchange));
            insert.executeUpdate();
        }
    }

    /**
     * The same event delivered again (Kafka after a restart, a replay) while parked: one row is enough. Another body
     * under the same id is parked too, and meets the first as an event-id-conflict once that one is applied.
     */
    private static boolean alreadyParked(Connection c, String routeId, String key, String eventId, String contentHash)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM parked_event WHERE route_id = ?"
                + " AND business_key_key = ? AND event_id = ? AND content_hash = ?")) {
            select.setString(1, routeId);
            select.setString(2, StoredText.keyOf(key));
            select.setString(3, StoredText.escape(eventId));
            select.setString(4, contentHash);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private double countOrNaN() {
        try (Connection c = dataSource.getConnection(); PreparedStatement count = c.prepareStatement(
                "SELECT COUNT(*) FROM parked_event"); ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    private static String businessKey(Exchange exchange) {
        String subject = ConsumedEvents.consumed(exchange, ConsumedEvents.SUBJECT);
        if (subject != null) {
            return subject;
        }
        Object key = exchange.getMessage().getHeader(DeadLetterStore.BUSINESS_KEY_HEADER);
        // no key at all: the event waits alone, under its own id
        return key != null ? key.toString() : "event:" + eventId(exchange);
    }

    private static String contentHash(Exchange exchange) {
        String hash = exchange.getProperty(ConsumedEvents.CONTENT_HASH, String.class);
        return hash != null ? hash : ConsumedEvents.contentHash(exchange.getMessage().getBody());
    }

    private static String eventId(Exchange exchange) {
        String id = ConsumedEvents.consumed(exchange, ConsumedEvents.EVENT_ID);
        return id != null ? id : String.valueOf(exchange.getMessage().getHeader(CloudEvent.ID));
    }
}
