package io.revops.bridge.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The JDBC idempotent repository of one route (table CAMEL_MESSAGEPROCESSED from the Flyway migrations, processor
 * name = route id) on the runtime database. Route files declare it as a named bean with the route id as its only
 * argument, so the policy reads where the route is:
 * <pre>
 * - beans:
 *     - name: erp-account-sync-idempotency
 *       type: io.revops.bridge.policy.RouteIdempotentRepository
 *       constructors: {"0": erp-account-sync}
 * </pre>
 * Keys of any length and content fit: the stored key is {@link StoredText#keyOf} of the CloudEvent id. With each key
 * it keeps the SHA-256 of the body and where the body was read (Kafka topic:partition:offset): an event under a known
 * id with other content is not a duplicate but a business failure {@code event-id-conflict}, whose dead letter holds
 * the second body as its payload and the first one, read back from that Kafka location, as its conflicting payload
 * (its hash and location are in the message too, for when Kafka no longer has it). A parked event ({@link ParkedEvents}) is not
 * recorded: it has not been applied yet.
 */
public class RouteIdempotentRepository extends ServiceSupport implements IdempotentRepository, CamelContextAware {
    private final String routeId;
    private CamelContext camelContext;
    private DataSource dataSource;

    public RouteIdempotentRepository(String routeId) {
        this.routeId = routeId;
    }

    @Override
    protected void doInit() {
        if (dataSource == null) {
            dataSource = camelContext.getRegistry().findSingleByType(DataSource.class);
            if (dataSource == null) {
                throw new IllegalStateException("no single DataSource for the idempotent repository of " + routeId);
            }
        }
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        String[] known = find(key);
        if (known == null) {
            return false;
        }
        String hash = exchange.getProperty(ConsumedEvents.CONTENT_HASH, String.class);
        if (hash != null && known[0] != null && !hash.equals(known[0])) {
            firstBody(known[1]).ifPresent(body -> exchange.setProperty(DeadLetterStore.CONFLICTING_PAYLOAD, body));
            throw new BusinessException("event-id-conflict", "event id " + DeadLetterStore.forLog(key)
                    + " was already applied by " + routeId + " with other content (first body: sha256 " + known[0]
                    + (known[1] == null ? "" : ", read from Kafka " + known[1]) + "; this body: sha256 " + hash
                    + "): a sender reused the id; if this is a new event, have it sent again under a new id, else discard it");
        }
        return true;
    }

    /** The body applied first under a reused id, read back from Kafka (absent outside the runtime or once Kafka dropped it). */
    private java.util.Optional<String> firstBody(String location) {
        KafkaRecordReader reader = camelContext.getRegistry().findSingleByType(KafkaRecordReader.class);
        return reader == null ? java.util.Optional.empty() : reader.valueAt(location);
    }

    @Override
    public boolean contains(String key) {
        return find(key) != null;
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        if (ParkedEvents.isParked(exchange)) {
            return false;
        }
        return insert(key, exchange.getProperty(ConsumedEvents.CONTENT_HASH, String.class),
                exchange.getProperty(ConsumedEvents.LOCATION, String.class));
    }

    /**
     * Two consumers racing on one key: the primary key lets exactly one insert win; the loser sees a constraint
     * violation, which means the same as seeing the row: a duplicate.
     */
    @Override
    public boolean add(String key) {
        return insert(key, null, null);
    }

    @Override
    public boolean remove(String key) {
        return update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ?", key) > 0;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ?", null);
    }

    private String[] find(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT contentHash, contentLocation FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ?")) {
            select.setString(1, routeId);
            select.setString(2, StoredText.keyOf(key));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        } catch (SQLException e) {
            throw new TransientFailureException("database", "idempotency key of " + routeId + " not read: " + e.getMessage(), e);
        }
    }

    private boolean insert(String key, String contentHash, String location) {
        // createdAt from the database's clock (in the session's time zone, which the driver sets to the JVM's): binding
        // a java.sql.Timestamp (the driver converts it through a Calendar) was 0.6% of the runtime's CPU (JFR, issue 15)
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("INSERT INTO"
                + " CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt, contentHash, contentLocation) VALUES (?, ?, LOCALTIMESTAMP, ?, ?)")) {
            insert.setString(1, routeId);
            insert.setString(2, StoredText.keyOf(key));
            insert.setString(3, contentHash);
            insert.setString(4, location == null ? null : StoredText.escape(location.length() <= 1000 ? location : location.substring(0, 1000)));
            insert.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException alreadyThere) {
            return false;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false; // integrity constraint violation class (PostgreSQL 23505 unique_violation)
            }
            throw new TransientFailureException("database", "idempotency key of " + routeId + " not stored: " + e.getMessage(), e);
        }
    }

    private int update(String sql, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, routeId);
            if (key != null) {
                statement.setString(2, StoredText.keyOf(key));
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new TransientFailureException("database", "idempotency keys of " + routeId + " not changed: " + e.getMessage(), e);
        }
    }

    public String getProcessorName() {
        return routeId;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
