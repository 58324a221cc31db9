package io.revops.bridge.reconciliation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.revops.bridge.policy.StoredText;

/**
 * Runs, their per-object checkpoints and the drifts they found (tables of V8__reconciliation.sql). A drift is one row
 * per (object, business key, kind, target, field) while it lasts: found again, its last_seen moves; not found by a
 * run that completed its object, it is closed; found again after its repair, it is open again (reopened). One run at
 * a time across replicas and one replica carrying it out: the lock row of V9__reconciliation_claim.sql.
 */
@ApplicationScoped
public class ReconciliationStore {
    static final int MAX_TEXT = 2000;
    /** How far back a run's resumed_from chain is followed (a run that fails over and over at the same page). */
    private static final int MAX_RESUMES = 100;
    private static final String DRIFT_COLUMNS = "id, object, business_key, kind, system_of_record, target, field,"
            + " expected, actual, status, first_run_id, last_run_id, first_seen, last_seen, repair_id, repaired_by,"
            + " repair_reason, repaired_at, closed_at, reopened, reopened_at";

    /** Which drifts to list; null means any. */
    public record DriftFilter(String object, String kind, String status) {
    }

    private final DataSource dataSource;

    @Inject
    public ReconciliationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Starts a run unless one is running, on any replica: the lock row takes the run's id with a conditional UPDATE,
     * so of two replicas starting at once one wins (the other's UPDATE waits for the row, then finds it taken). The
     * run is not claimed yet: whichever replica carries it out claims it ({@link #claim}). A run after a failed one
     * continues from where that one stopped.
     *
     * @return the new run's id, empty when a run is in progress
     */
    public Optional<String> startRun(String trigger, String requestedBy) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String id = UUID.randomUUID().toString();
                try (PreparedStatement lock = c.prepareStatement("UPDATE reconciliation_lock SET run_id = ?, owner = NULL,"
                        + " expires_at = NULL WHERE name = 'run' AND run_id IS NULL")) {
                    lock.setString(1, id);
                    if (lock.executeUpdate() == 0) {
                        c.rollback();
                        return Optional.empty();
                    }
                }
                Optional<String> failed = latestIfFailed(c);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO reconciliation_run (id, run_trigger,"
                        + " requested_by, started, status, resumed_from) VALUES (?, ?, ?, ?, 'running', ?)")) {
                    insert.setString(1, id);
                    insert.setString(2, trigger);
                    insert.setString(3, requestedBy);
                    insert.setTimestamp(4, Timestamp.from(Instant.now()));
                    insert.setString(5, failed.orElse(null));
                    insert.executeUpdate();
                }
                if (failed.isPresent()) {
                    try (PreparedStatement copy = c.prepareStatement("INSERT INTO reconciliation_run_object (run_id,"
                            + " object, cursor_at, pages, drifts, completed) SELECT ?, object, cursor_at, pages, drifts,"
                            + " completed FROM reconciliation_run_object WHERE run_id = ?")) {
                        copy.setString(1, id);
                        copy.setString(2, failed.get());
                        copy.executeUpdate();
                    }
                }
                c.commit();
                return Optional.of(id);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static Optional<String> latestIfFailed(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, status FROM reconciliation_run ORDER BY started DESC, id LIMIT 1");
                ResultSet rs = select.executeQuery()) {
            return rs.next() && "failed".equals(rs.getString(2)) ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** The run in progress: just started, carried out by a replica, or left by one that stopped or crashed. */
    public Optional<String> runningRun() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT run_id FROM reconciliation_lock WHERE name = 'run' AND run_id IS NOT NULL");
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /**
     * Claims the run for this replica to carry out: granted when nobody holds it, this replica already does, or the
     * holder's claim expired (it died mid-run: its cursor is where this one continues).
     *
     * @return false when another replica holds a live claim (it is carrying the run out)
     */
    public boolean claim(String runId, RunClaim claim) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE reconciliation_lock SET owner = ?, expires_at = ? WHERE name = 'run' AND run_id = ?"
                        + " AND (owner IS NULL OR owner = ? OR expires_at < ?)")) {
            update.setString(1, claim.owner());
            update.setTimestamp(2, Timestamp.from(claim.expiresAt()));
            update.setString(3, runId);
            update.setString(4, claim.owner());
            update.setTimestamp(5, Timestamp.from(claim.now()));
            return update.executeUpdate() == 1;
        }
    }

    /** Lets go of this replica's claim (a stop): the run stays in progress and the next replica continues it at once. */
    public void release(RunClaim claim) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE reconciliation_lock SET owner = NULL, expires_at = NULL WHERE name = 'run' AND owner = ?")) {
            update.setString(1, claim.owner());
            update.executeUpdate();
        }
    }

    /** Renews the claim in the caller's transaction, so what it writes is committed only while the claim holds. */
    private static void renew(Connection c, String runId, RunClaim claim) throws SQLException, ClaimLostException {
        try (PreparedStatement update = c.prepareStatement("UPDATE reconciliation_lock SET expires_at = ?"
                + " WHERE name = 'run' AND run_id = ? AND owner = ?")) {
            update.setTimestamp(1, Timestamp.from(claim.expiresAt()));
            update.setString(2, runId);
            update.setString(3, claim.owner());
            if (update.executeUpdate() == 0) {
                throw new ClaimLostException(runId, claim.owner());
            }
        }
    }

    public Optional<Instant> lastStarted() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT MAX(started) FROM reconciliation_run"); ResultSet rs = select.executeQuery()) {
            return rs.next() && rs.getTimestamp(1) != null ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
        }
    }

    /** Where the run is with the object: empty before its first page. */
    public Optional<RunSummary.ObjectProgress> progress(String runId, String object) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT object, cursor_at, pages, drifts, completed FROM reconciliation_run_object"
                        + " WHERE run_id = ? AND object = ?")) {
            select.setString(1, runId);
            select.setString(2, object);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(progress(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Records one compared page in one transaction with the renewal of the run's claim: its drifts (new rows,
     * last_seen moved, or repaired ones reopened) and the cursor reached, so a run continued after a crash neither
     * loses nor repeats a page's findings, and a replica whose claim was taken over writes nothing more.
     *
     * @param next the cursor of the next page; null when the object is done
     * @return the stored drifts of the page
     */
    public List<StoredDrift> recordPage(String runId, String object, List<Drift> drifts, String next, RunClaim claim)
            throws SQLException, ClaimLostException {
        Instant now = Instant.now();
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                renew(c, runId, claim);
                Instant runStarted = started(c, runId);
                for (Drift drift : drifts) {
                    ids.add(upsertDrift(c, runId, runStarted, drift, now));
                }
                saveProgress(c, runId, object, next, drifts.size(), now);
                c.commit();
            } catch (SQLException | ClaimLostException e) {
                c.rollback();
                throw e;
            }
        }
        List<StoredDrift> stored = new ArrayList<>();
        for (String id : ids) {
            find(id).ifPresent(stored::add);
        }
        return stored;
    }

    private static Instant started(Connection c, String runId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT started FROM reconciliation_run WHERE id = ?")) {
            select.setString(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : Instant.now();
            }
        }
    }

    /**
     * A drift found again moves its last_seen. One found again after its repair was published, by a run started
     * after that (a run already under way may have compared the page before the repair), is open again: the repair
     * did not take.
     */
    private static String upsertDrift(Connection c, String runId, Instant runStarted, Drift drift, Instant now)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id, status, repaired_at FROM reconciliation_drift WHERE object = ?"
                + " AND business_key = ? AND kind = ? AND target = ? AND COALESCE(field, '') = ? AND status <> 'closed'")) {
            select.setString(1, drift.object());
            select.setString(2, text(drift.businessKey()));
            select.setString(3, drift.kind().wire());
            select.setString(4, drift.target());
            select.setString(5, drift.field() == null ? "" : drift.field());
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    String id = rs.getString(1);
                    Timestamp repairedAt = rs.getTimestamp(3);
                    boolean reopen = "repaired".equals(rs.getString(2)) && repairedAt != null
                            && repairedAt.toInstant().isBefore(runStarted);
                    try (PreparedStatement update = c.prepareStatement("UPDATE reconciliation_drift SET last_run_id = ?,"
                            + " last_seen = ?, expected = ?, actual = ?" + (reopen
                                    ? ", status = 'open', reopened = reopened + 1, reopened_at = ?" : "")
                            + " WHERE id = ?")) {
                        update.setString(1, runId);
                        update.setTimestamp(2, Timestamp.from(now));
                        update.setString(3, text(drift.expected()));
                        update.setString(4, text(drift.actual()));
                        if (reopen) {
                            update.setTimestamp(5, Timestamp.from(now));
                        }
                        update.setString(reopen ? 6 : 5, id);
                        update.executeUpdate();
                    }
                    return id;
                }
            }
        }
        String id = UUID.randomUUID().toString();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO reconciliation_drift (id, first_run_id,"
                + " last_run_id, first_seen, last_seen, object, business_key, kind, system_of_record, target, field,"
                + " expected, actual, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')")) {
            insert.setString(1, id);
            insert.setString(2, runId);
            insert.setString(3, runId);
            insert.setTimestamp(4, Timestamp.from(now));
            insert.setTimestamp(5, Timestamp.from(now));
            insert.setString(6, drift.object());
            insert.setString(7, text(drift.businessKey()));
            insert.setString(8, drift.kind().wire());
            insert.setString(9, drift.systemOfRecord());
            insert.setString(10, drift.target());
            insert.setString(11, drift.field());
            insert.setString(12, text(drift.expected()));
            insert.setString(13, text(drift.actual()));
            insert.executeUpdate();
        }
        return id;
    }

    private static void saveProgress(Connection c, String runId, String object, String next, int drifts, Instant now)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE reconciliation_run_object SET cursor_at = ?,"
                + " pages = pages + 1, drifts = drifts + ?, completed = ? WHERE run_id = ? AND object = ?")) {
            update.setString(1, next);
            update.setInt(2, drifts);
            update.setTimestamp(3, next == null ? Timestamp.from(now) : null);
            update.setString(4, runId);
            update.setString(5, object);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO reconciliation_run_object (run_id, object,"
                + " cursor_at, pages, drifts, completed) VALUES (?, ?, ?, 1, ?, ?)")) {
            insert.setString(1, runId);
            insert.setString(2, object);
            insert.setString(3, next);
            insert.setInt(4, drifts);
            insert.setTimestamp(5, next == null ? Timestamp.from(now) : null);
            insert.executeUpdate();
        }
    }

    /**
     * Closes the object's drifts this run (or the failed runs it continues) did not find again: open ones fixed
     * behind our back, repaired ones whose repair took.
     *
     * @return how many were closed
     */
    public int closeNotFoundAgain(String runId, String object) throws SQLException {
        Set<String> seenBy = lineage(runId);
        String placeholders = String.join(", ", seenBy.stream().map(id -> "?").toList());
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE reconciliation_drift SET status = 'closed', closed_at = ? WHERE object = ? AND status <> 'closed'"
                        + " AND last_run_id NOT IN (" + placeholders + ")")) {
            update.setTimestamp(1, Timestamp.from(Instant.now()));
            update.setString(2, object);
            int i = 3;
            for (String id : seenBy) {
                update.setString(i++, id);
            }
            return update.executeUpdate();
        }
    }

    /** The run and the failed runs it continues. */
    private Set<String> lineage(String runId) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT resumed_from FROM reconciliation_run WHERE id = ?")) {
            String id = runId;
            while (id != null && ids.size() < MAX_RESUMES && ids.add(id)) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    id = rs.next() ? rs.getString(1) : null;
                }
            }
        }
        return ids;
    }

    /** Ends the run and frees the lock for the next one, provided this replica still holds the claim. */
    public void finishRun(String runId, String status, String error, RunClaim claim) throws SQLException, ClaimLostException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement free = c.prepareStatement("UPDATE reconciliation_lock SET run_id = NULL, owner = NULL,"
                    + " expires_at = NULL WHERE name = 'run' AND run_id = ? AND owner = ?");
                    PreparedStatement update = c.prepareStatement(
                            "UPDATE reconciliation_run SET status = ?, error = ?, finished = ? WHERE id = ?")) {
                free.setString(1, runId);
                free.setString(2, claim.owner());
                if (free.executeUpdate() == 0) {
                    throw new ClaimLostException(runId, claim.owner());
                }
                update.setString(1, status);
                update.setString(2, text(error));
                update.setTimestamp(3, Timestamp.from(Instant.now()));
                update.setString(4, runId);
                update.executeUpdate();
                c.commit();
            } catch (SQLException | ClaimLostException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public List<RunSummary> runs(int limit) throws SQLException {
        List<RunSummary> runs = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement select = c.prepareStatement("SELECT id, run_trigger, requested_by, started, finished,"
                    + " status, error, resumed_from FROM reconciliation_run ORDER BY started DESC, id LIMIT ?")) {
                select.setInt(1, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        runs.add(new RunSummary(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                                instant(rs, 5), rs.getString(6), rs.getString(7), rs.getString(8), List.of()));
                    }
                }
            }
            List<RunSummary> withObjects = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT object, cursor_at, pages, drifts, completed"
                    + " FROM reconciliation_run_object WHERE run_id = ? ORDER BY object")) {
                for (RunSummary run : runs) {
                    select.setString(1, run.id());
                    List<RunSummary.ObjectProgress> objects = new ArrayList<>();
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            objects.add(progress(rs));
                        }
                    }
                    withObjects.add(new RunSummary(run.id(), run.trigger(), run.requestedBy(), run.started(),
                            run.finished(), run.status(), run.error(), run.resumedFrom(), objects));
                }
            }
            return withObjects;
        }
    }

    public List<StoredDrift> drifts(DriftFilter filter, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + DRIFT_COLUMNS + " FROM reconciliation_drift WHERE 1 = 1");
        List<String> values = new ArrayList<>();
        for (String[] condition : new String[][] {{"object", filter.object()}, {"kind", filter.kind()},
                {"status", filter.status()}}) {
            if (condition[1] != null) {
                sql.append(" AND ").append(condition[0]).append(" = ?");
                values.add(condition[1]);
            }
        }
        sql.append(" ORDER BY last_seen DESC, id LIMIT ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                select.setString(i + 1, values.get(i));
            }
            select.setInt(values.size() + 1, limit);
            List<StoredDrift> drifts = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    drifts.add(drift(rs));
                }
            }
            return drifts;
        }
    }

    public Optional<StoredDrift> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT " + DRIFT_COLUMNS + " FROM reconciliation_drift WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(drift(rs)) : Optional.empty();
            }
        }
    }

    public Optional<StoredDrift> findByRepairId(String repairId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT " + DRIFT_COLUMNS + " FROM reconciliation_drift WHERE repair_id = ?")) {
            select.setString(1, repairId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(drift(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Claims an open drift for one repair: of two concurrent requests only one wins, so no repair is applied twice.
     * A drift whose earlier repair failed keeps its repair id, so a retry republishes the same event id; one reopened
     * after its repair (which was published, and did not take) gets a new one, or the routes would drop it as the
     * event they already applied.
     *
     * @return the repair id to use, empty when the drift is not open
     */
    public Optional<String> claimRepair(String driftId, String actor, String reason) throws SQLException {
        Optional<StoredDrift> drift = find(driftId);
        String repairId = drift.map(StoredDrift::repairId).orElse(null);
        boolean reopened = drift.filter(d -> d.reopenedAt() != null
                && (d.repairedAt() == null || d.reopenedAt().isAfter(d.repairedAt()))).isPresent();
        String id = repairId != null && !reopened ? repairId : UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE reconciliation_drift SET status = 'repair-requested', repair_id = ?, repaired_by = ?,"
                        + " repair_reason = ?, repaired_at = ? WHERE id = ? AND status = 'open'")) {
            update.setString(1, id);
            update.setString(2, actor);
            update.setString(3, reason);
            update.setTimestamp(4, Timestamp.from(Instant.now()));
            update.setString(5, driftId);
            return update.executeUpdate() == 1 ? Optional.of(id) : Optional.empty();
        }
    }

    /** After the repair: repaired when it was published, open again (same repair id) when it failed. */
    public void repairEnded(String driftId, boolean published) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE reconciliation_drift SET status = ? WHERE id = ? AND status = 'repair-requested'")) {
            update.setString(1, published ? "repaired" : "open");
            update.setString(2, driftId);
            update.executeUpdate();
        }
    }

    /** Open drifts (open or repair under way) per object and kind, for the gauge. */
    public Map<String, Map<String, Long>> openCounts() throws SQLException {
        Map<String, Map<String, Long>> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT object, kind, COUNT(*) FROM reconciliation_drift WHERE status <> 'closed' GROUP BY object, kind");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), o -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
            }
        }
        return counts;
    }

    /** Drifts not closed that were reopened after a repair, per object, for the gauge. */
    public Map<String, Long> reopenedCounts() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT object, COUNT(*) FROM reconciliation_drift WHERE status <> 'closed' AND reopened > 0 GROUP BY object");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** When each object last completed a pass. */
    public Map<String, Instant> lastCompleted() throws SQLException {
        Map<String, Instant> completed = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT object, MAX(completed) FROM reconciliation_run_object WHERE completed IS NOT NULL GROUP BY object");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                completed.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
        }
        return completed;
    }

    private static RunSummary.ObjectProgress progress(ResultSet rs) throws SQLException {
        return new RunSummary.ObjectProgress(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), instant(rs, 5));
    }

    private static StoredDrift drift(ResultSet rs) throws SQLException {
        return new StoredDrift(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), instant(rs, 13), instant(rs, 14), rs.getString(15), rs.getString(16),
                rs.getString(17), instant(rs, 18), instant(rs, 19), rs.getInt(20), instant(rs, 21));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    /** Values from other systems, stored escaped and bounded like every foreign text. */
    private static String text(String value) {
        if (value == null) {
            return null;
        }
        String escaped = StoredText.escape(value);
        return escaped.length() <= MAX_TEXT ? escaped : escaped.substring(0, MAX_TEXT - 3) + "...";
    }
}
