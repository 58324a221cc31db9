package io.revops.bridge.salesforce;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.SalesforceConstants;

import javax.sql.DataSource;

/**
 * The Salesforce Pub/Sub replay position of each inbound route, in the runtime database. camel-salesforce
 * advances its own cursor on every FetchResponse even when processing failed, so we keep our own: saved only
 * after Kafka acknowledged the event (the route step after the Kafka send), read when the subscription starts.
 * Polled feeds (billing, ERP invoices) keep their positions here too.
 */
@ApplicationScoped
@Named("replayCheckpoints")
public class ReplayCheckpoints {
    private final DataSource dataSource;

    @Inject
    public ReplayCheckpoints(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Route step: checkpoints the replay id of the exchange's event under the route id. */
    public void save(Exchange exchange) throws SQLException {
        String replayId = exchange.getMessage().getHeader(SalesforceConstants.HEADER_SALESFORCE_PUBSUB_REPLAY_ID, String.class);
        if (replayId == null) {
            throw new IllegalStateException("no " + SalesforceConstants.HEADER_SALESFORCE_PUBSUB_REPLAY_ID + " header to checkpoint");
        }
        String topic = exchange.getFromEndpoint() == null ? "" : exchange.getFromEndpoint().getEndpointBaseUri();
        save(exchange.getFromRouteId(), topic, replayId);
    }

    public void save(String subscription, String topic, String replayId) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE salesforce_replay_checkpoint SET replay_id = ?, topic = ?, updated_at = ? WHERE subscription = ?")) {
                update.setString(1, replayId);
                update.setString(2, topic);
                update.setTimestamp(3, now);
                update.setString(4, subscription);
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO salesforce_replay_checkpoint (subscription, topic, replay_id, updated_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, subscription);
                insert.setString(2, topic);
                insert.setString(3, replayId);
                insert.setTimestamp(4, now);
                insert.executeUpdate();
            }
        }
    }

    /**
     * The position of a polled feed (a Kill Bill page offset, a Tryton write date), kept like a replay id: advanced
     * only after every event up to it was acknowledged by Kafka.
     */
    public String position(String feed, String initial) {
        return find(feed).orElse(initial);
    }

    /** @param position null when the feed had nothing yet: there is no position to keep */
    public void advance(String feed, String position) throws SQLException {
        if (position != null) {
            save(feed, "poll", position);
        }
    }

    public Optional<String> find(String subscription) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT replay_id FROM salesforce_replay_checkpoint WHERE subscription = ?")) {
            select.setString(1, subscription);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the replay checkpoint of " + subscription, e);
        }
    }
}
