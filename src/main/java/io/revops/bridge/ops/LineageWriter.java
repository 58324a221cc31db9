package io.revops.bridge.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * Writes lineage hops behind the routes: a route's thread only queues its hop, and one writer thread inserts what has
 * queued, up to {@value #BATCH} rows per JDBC batch in one transaction. Consumers so spend no database round trip on
 * lineage, and the database commits once per batch instead of once per hop. Lineage is for people and never a
 * checkpoint: no idempotency key or Kafka offset waits for it. Nothing is dropped for lack of room: with the queue full,
 * the caller writes its hop itself. Readers of the lineage in this runtime call {@link #awaitWritten} first, so they
 * see every hop recorded before they asked. Stopping drains the queue.
 */
final class LineageWriter {
    private static final Logger LOG = Logger.getLogger(LineageWriter.class);
    private static final int BATCH = 500;
    private static final int CAPACITY = 20_000;
    /** Queued by stop() to wake a writer waiting for hops: with nothing to write it sleeps instead of polling. */
    private static final Hop WAKE_UP = new Hop(null, null, null, null, null, null, null, null, null, null, null);
    private static final String INSERT = "INSERT INTO lineage (id, at, route_id, outcome, event_id, event_type, correlation_id,"
            + " business_key, detail, business_key_key, correlation_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** One row of table lineage, its values stored as they are (escaped and keyed by the recorder). */
    record Hop(String id, Instant at, String routeId, String outcome, String eventId, String eventType, String correlationId,
            String businessKey, String detail, String businessKeyKey, String correlationKey) {
    }

    private final DataSource dataSource;
    private final BlockingQueue<Hop> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong queued = new AtomicLong();
    private final Object progress = new Object();
    private long written; // guarded by progress
    private Thread writer;
    private volatile boolean stopping;

    LineageWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void write(Hop hop) {
        // counted before it is queued: a reader that counts it waits for it
        queued.incrementAndGet();
        if (stopping || !startIfNeeded() || !queue.offer(hop)) {
            // stopped, or the queue full: this thread writes its own hop rather than drop it
            insert(List.of(hop));
            written(1);
        }
    }

    /** Waits (at most {@code timeout}) until every hop queued before the call is in the database. */
    void awaitWritten(long timeoutMillis) throws InterruptedException {
        long target = queued.get();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (progress) {
            while (written < target) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return; // lineage shows what is written; a reader never fails for lineage
                }
                progress.wait(left);
            }
        }
    }

    /** Writes what is queued, then ends the writer thread. */
    void stop() throws InterruptedException {
        Thread running;
        synchronized (this) {
            stopping = true;
            running = writer;
        }
        // the writer thread ends once the queue is empty; hops recorded from now on are written by their callers
        if (running != null) {
            queue.put(WAKE_UP);
            running.join(TimeUnit.SECONDS.toMillis(30));
        }
        List<Hop> rest = new ArrayList<>();
        queue.drainTo(rest); // queued while the writer was ending
        rest.removeIf(hop -> hop == WAKE_UP);
        if (!rest.isEmpty()) {
            insert(rest);
            written(rest.size());
        }
    }

    private synchronized boolean startIfNeeded() {
        if (stopping) {
            return false;
        }
        if (writer == null || !writer.isAlive()) {
            writer = new Thread(this::run, "lineage-writer");
            writer.setDaemon(true);
            writer.start();
        }
        return true;
    }

    private void written(int hops) {
        synchronized (progress) {
            written += hops;
            progress.notifyAll();
        }
    }

    private void run() {
        List<Hop> batch = new ArrayList<>(BATCH);
        try {
            while (!stopping || !queue.isEmpty()) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                batch.removeIf(hop -> hop == WAKE_UP);
                if (!batch.isEmpty()) {
                    insert(batch);
                    written(batch.size());
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One transaction for the batch; if it fails, row by row, so one row the database refuses costs only itself. */
    private void insert(List<Hop> hops) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                c.setAutoCommit(false);
                for (Hop hop : hops) {
                    bind(insert, hop);
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
                return;
            } catch (SQLException batchFailed) {
                c.rollback();
                if (hops.size() == 1) {
                    throw batchFailed;
                }
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Lineage of route %s not recorded: %s", hops.get(0).routeId(), e.getMessage());
            return;
        }
        for (Hop hop : hops) {
            insert(List.of(hop));
        }
    }

    private static void bind(PreparedStatement insert, Hop hop) throws SQLException {
        insert.setString(1, hop.id());
        insert.setTimestamp(2, Timestamp.from(hop.at()));
        insert.setString(3, hop.routeId());
        insert.setString(4, hop.outcome());
        insert.setString(5, hop.eventId());
        insert.setString(6, hop.eventType());
        insert.setString(7, hop.correlationId());
        insert.setString(8, hop.businessKey());
        insert.setString(9, hop.detail());
        insert.setString(10, hop.businessKeyKey());
        insert.setString(11, hop.correlationKey());
    }
}
