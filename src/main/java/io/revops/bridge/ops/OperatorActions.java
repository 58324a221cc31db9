package io.revops.bridge.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

/**
 * The audit trail of what operators did to the runtime outside the dead-letter API (routes stopped, started,
 * suspended, resumed over Jolokia): who, from where, when, what. Recorded before the action runs; if it cannot be
 * recorded, the action is refused.
 */
@ApplicationScoped
public class OperatorActions {
    private static final Logger LOG = Logger.getLogger(OperatorActions.class);

    public record Entry(String actor, String clientAddress, String channel, String action, String target, Instant at) {
    }

    @Inject
    DataSource dataSource;

    public void record(String actor, String clientAddress, String channel, String action, String target) {
        Instant at = Instant.now();
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO operator_action (id, actor, client_address, channel, action, target, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, actor);
            insert.setString(3, clientAddress);
            insert.setString(4, channel);
            insert.setString(5, action);
            insert.setString(6, target);
            insert.setTimestamp(7, Timestamp.from(at));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new SecurityException("the action could not be audited, so it is refused", e);
        }
        LOG.infof("Operator %s (%s, %s) %s %s", actor, clientAddress, channel, action, target);
    }

    public List<Entry> recent(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT actor, client_address, channel, action, target, at FROM operator_action ORDER BY at DESC, id LIMIT ?")) {
            select.setInt(1, limit);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
            return entries;
        }
    }
}
