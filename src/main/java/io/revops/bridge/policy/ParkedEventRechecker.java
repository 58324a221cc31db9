package io.revops.bridge.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.quarkus.main.events.AfterStart;
import org.apache.camel.quarkus.main.events.BeforeStop;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;

import io.revops.bridge.mapping.Json;

/**
 * Every revops.wait.recheck-every (ms), while Camel runs, offers the head event of each parked key
 * ({@link ParkedEvents}) to its route again, through the route's own processing (policy, idempotency, lineage), not
 * through Kafka. Applied (or skipped, duplicate, dead-lettered): the row goes and the key's next event follows at
 * once. Still missing: it stays for the next re-check. Runs on every replica: a row is claimed in the database
 * (claimed_until) before it is offered, so replicas never offer the same event at once.
 */
@ApplicationScoped
public class ParkedEventRechecker {
    private static final Logger LOG = Logger.getLogger(ParkedEventRechecker.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };
    /** How long a replica may hold a row it is offering again; longer than any route's redeliveries and re-checks. */
    private static final Duration CLAIM = Duration.ofMinutes(10);

    private final DataSource dataSource;
    private final Json json;
    private final CamelContext camel;
    private final long everyMillis;
    private final String replica = UUID.randomUUID().toString();
    private ScheduledExecutorService scheduler;

    @Inject
    public ParkedEventRechecker(DataSource dataSource, Json json, CamelContext camel,
            @ConfigProperty(name = "revops.wait.recheck-every", defaultValue = "5000") long everyMillis) {
        this.dataSource = dataSource;
        this.json = json;
        this.camel = camel;
        this.everyMillis = everyMillis;
    }

    void start(@Observes AfterStart event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "revops-parked-events");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::recheck, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes BeforeStop event) throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Offers the head event of every parked key to its route again; returns how many events left the table. */
    public int recheck() {
        List<Long> heads;
        try {
            heads = heads();
        } catch (SQLException e) {
            LOG.warnf("Parked events not re-checked this time: %s", e.getMessage());
            return 0;
        }
        int done = 0;
        for (long head : heads) {
            try {
                Long next = head;
                while (next != null && claim(next)) {
                    ParkedRow row = load(next);
                    if (row == null || !offer(row)) {
                        break;
                    }
                    done++;
                    next = headOf(row.routeId, row.businessKeyKey);
                }
            } catch (SQLException | RuntimeException e) {
                // one key's trouble never holds the others; its claim expires and it is tried again
                LOG.warnf("Parked event %d not offered again this time: %s", head, e.getMessage());
            }
        }
        return done;
    }

    /** True when the row is done with (applied, skipped, duplicate or dead-lettered) and deleted. */
    private boolean offer(ParkedRow row) throws SQLException {
        Route route = camel.getRoute(row.routeId);
        if (route == null || camel.getRouteController().getRouteStatus(row.routeId) != ServiceStatus.Started) {
            release(row.id);
            return false;
        }
        Consumer consumer = route.getConsumer();
        Exchange exchange = consumer.createExchange(false);
        boolean stillWaiting;
        try {
            exchange.getMessage().setHeaders(new LinkedHashMap<String, Object>(row.headers));
            exchange.getMessage().setBody(row.payload);
            exchange.setProperty(ParkedEvents.PARKED_ROW, row.id);
            consumer.getProcessor().process(exchange);
            // still missing, or the route could not tell (a circuit open, the database failing): the next re-check
            stillWaiting = exchange.getException() != null || ParkedEvents.isParked(exchange);
        } catch (Exception e) {
            stillWaiting = true;
        } finally {
            consumer.releaseExchange(exchange, false);
        }
        if (stillWaiting) {
            release(row.id);
            return false;
        }
        delete(row.id);
        return true;
    }

    private List<Long> heads() throws SQLException {
        List<Long> heads = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT MIN(id) FROM parked_event GROUP BY route_id, business_key_key");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                heads.add(rs.getLong(1));
            }
        }
        return heads;
    }

    private Long headOf(String routeId, String businessKeyKey) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT MIN(id) FROM parked_event WHERE route_id = ? AND business_key_key = ?")) {
            select.setString(1, routeId);
            select.setString(2, businessKeyKey);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }
        }
    }

    private boolean claim(long id) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection(); PreparedStatement claim = c.prepareStatement("UPDATE parked_event"
                + " SET claimed_until = ?, claimed_by = ? WHERE id = ? AND (claimed_until IS NULL OR claimed_until < ?)")) {
            claim.setTimestamp(1, Timestamp.from(now.toInstant().plus(CLAIM)));
            claim.setString(2, replica);
            claim.setLong(3, id);
            claim.setTimestamp(4, now);
            return claim.executeUpdate() == 1;
        }
    }

    private void release(long id) throws SQLException {
        execute("UPDATE parked_event SET claimed_until = NULL, claimed_by = NULL WHERE id = ?", id);
    }

    private void delete(long id) throws SQLException {
        execute("DELETE FROM parked_event WHERE id = ?", id);
    }

    private void execute(String sql, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    private ParkedRow load(long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT route_id, business_key_key, payload, headers FROM parked_event WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String headers = StoredText.unescape(rs.getString("headers"));
                return new ParkedRow(id, rs.getString("route_id"), rs.getString("business_key_key"),
                        StoredText.unescape(rs.getString("payload")),
                        headers == null ? Map.of() : json.mapper().readValue(headers, HEADERS));
            } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
                throw new IllegalStateException("parked event " + id + " has unreadable headers", unreadable);
            }
        }
    }

    private record ParkedRow(long id, String routeId, String businessKeyKey, String payload, Map<String, String> headers) {
    }
}
