package io.revops.bridge.billing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;

import io.revops.bridge.policy.StoredText;
import io.revops.bridge.policy.TransientFailureException;

/**
 * Seat claims in the runtime database, in the key table the idempotent consumers use (CAMEL_MESSAGEPROCESSED, no
 * migration needed): processor "billing-seat-cancellations", key = the seat's subscription key, contentHash = the
 * claiming change's id (at most 64 characters there; change ids are Salesforce order numbers). The primary key lets
 * exactly one change claim a seat.
 */
@ApplicationScoped
public class StoredSeatClaims implements SeatClaims {
    static final String PROCESSOR = "billing-seat-cancellations";

    private final DataSource dataSource;

    @Inject
    public StoredSeatClaims(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The change id as the 64-character column holds it (schema: change ids have at most 80). */
    private static String stored(String changeId) {
        return changeId.length() <= 64 ? changeId : changeId.substring(0, 64);
    }

    @Override
    public Holder holder(String seatKey, String changeId) {
        return owner(seatKey).map(owner -> owner.equals(stored(changeId)) ? Holder.THIS_CHANGE : Holder.ANOTHER_CHANGE)
                .orElse(Holder.NONE);
    }

    private Optional<String> owner(String seatKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT contentHash FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ?")) {
            select.setString(1, PROCESSOR);
            select.setString(2, StoredText.keyOf(seatKey));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new TransientFailureException("database", "seat claim of " + seatKey + " not read: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean claim(String seatKey, String changeId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("INSERT INTO"
                + " CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt, contentHash) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, PROCESSOR);
            insert.setString(2, StoredText.keyOf(seatKey));
            insert.setTimestamp(3, Timestamp.from(Instant.now()));
            insert.setString(4, stored(changeId));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e instanceof SQLIntegrityConstraintViolationException
                    || e.getSQLState() != null && e.getSQLState().startsWith("23")) { // PostgreSQL: 23505 unique_violation
                return owner(seatKey).map(stored(changeId)::equals).orElse(false);
            }
            throw new TransientFailureException("database", "seat " + seatKey + " not claimed: " + e.getMessage(), e);
        }
    }
}
