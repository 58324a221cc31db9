package io.revops.bridge.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;

import io.revops.bridge.mapping.Json;

/** Reads dead letters for operators and records what they do with them (status + audit trail, one transaction). */
@ApplicationScoped
public class DeadLetterRepository {
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    public record Page(List<DeadLetter> items, long total, int page, int size) {
    }

    public record AuditEntry(String action, String actor, String reason, Instant at) {
    }

    private final DataSource dataSource;
    private final Json json;

    @Inject
    public DeadLetterRepository(DataSource dataSource, Json json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Page list(DeadLetterFilter filter, int page, int size) throws SQLException {
        List<Object> params = new ArrayList<>();
        String where = filter.where(params);
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = prepare(c, "SELECT COUNT(*) FROM dead_letter" + where, params);
                    ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(size);
            pageParams.add((long) page * size);
            List<DeadLetter> items = new ArrayList<>();
            try (PreparedStatement select = prepare(c, "SELECT * FROM dead_letter" + where
                    + " ORDER BY last_failed_at DESC, id LIMIT ? OFFSET ?", pageParams); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    items.add(read(rs).summary());
                }
            }
            return new Page(items, total, page, size);
        }
    }

    public List<DeadLetter> all(DeadLetterFilter filter) throws SQLException {
        List<Object> params = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = prepare(c, "SELECT * FROM dead_letter" + filter.where(params) + " ORDER BY first_failed_at", params);
                ResultSet rs = select.executeQuery()) {
            List<DeadLetter> items = new ArrayList<>();
            while (rs.next()) {
                items.add(read(rs));
            }
            return items;
        }
    }

    public Optional<DeadLetter> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = prepare(c, "SELECT * FROM dead_letter WHERE id = ?", List.of(id));
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    /**
     * Sets the status and appends the audit entry atomically, unless the dead letter is (meanwhile) discarded, which
     * is final: then nothing changes and the answer is false.
     */
    public boolean record(String id, String status, String action, String actor, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement update = prepare(c, "UPDATE dead_letter SET status = ? WHERE id = ? AND status <> 'discarded'",
                    List.of(status, id));
                    PreparedStatement audit = prepare(c, "INSERT INTO dead_letter_audit (id, dead_letter_id, action, actor, reason, at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", List.of(UUID.randomUUID().toString(), id, action, actor,
                                    reason == null ? "" : reason, Timestamp.from(Instant.now())))) {
                if (update.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
                audit.executeUpdate();
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public List<AuditEntry> audit(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = prepare(c, "SELECT action, actor, reason, at FROM dead_letter_audit"
                        + " WHERE dead_letter_id = ? ORDER BY at, id", List.of(id));
                ResultSet rs = select.executeQuery()) {
            List<AuditEntry> entries = new ArrayList<>();
            while (rs.next()) {
                entries.add(new AuditEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
            }
            return entries;
        }
    }

    private DeadLetter read(ResultSet rs) throws SQLException {
        // stored text is escaped (NUL, policy.StoredText): read back exactly what the event carried
        String headers = text(rs, "headers");
        return new DeadLetter(rs.getString("id"), rs.getString("route_id"), rs.getString("status"), rs.getString("category"),
                rs.getString("reason_code"), rs.getString("exception_type"), text(rs, "exception_message"),
                text(rs, "event_id"), text(rs, "event_type"), text(rs, "correlation_id"),
                text(rs, "business_key"), text(rs, "source_endpoint"), rs.getInt("attempts"),
                rs.getTimestamp("first_failed_at").toInstant(), rs.getTimestamp("last_failed_at").toInstant(),
                text(rs, "payload"), headers == null ? Map.of() : json.mapper().convertValue(json.toTree(headers), HEADERS),
                text(rs, "conflicting_payload"));
    }

    private static String text(ResultSet rs, String column) throws SQLException {
        return io.revops.bridge.policy.StoredText.unescape(rs.getString(column));
    }

    private static PreparedStatement prepare(Connection c, String sql, List<?> params) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            statement.setObject(i + 1, params.get(i));
        }
        return statement;
    }
}
