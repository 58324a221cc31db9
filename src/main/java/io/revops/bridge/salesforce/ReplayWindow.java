package io.revops.bridge.salesforce;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.SynchronizationAdapter;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Lets an inbound Salesforce route have many change events on their way to Kafka at once (asynchronous sends)
 * while its replay checkpoint only ever covers events that are done: published and acknowledged by Kafka, or
 * durably dead-lettered. The route's first step ({@link #enter}) registers each event in arrival order, and waits
 * while {@code revops.salesforce.publish-window} events are in flight; when an exchange is done, the checkpoint moves
 * to the newest event before which every event is done, saved once per such advance (not once per event).
 * An event that failed without being dead-lettered holds the checkpoint where it is until the subscription starts
 * again, so a restart delivers it once more: nothing is skipped.
 * <p>
 * With {@code revops.salesforce.checkpoint-interval} above zero the newest position is written at most once per
 * interval, by a thread of its own, not by the threads that deliver Kafka's acknowledgements: a catch-up of many
 * thousands of changes otherwise writes the database hundreds of times a second. The write is scheduled by the advance
 * that needs it (one interval later), so with no changes arriving the thread sleeps instead of waking every interval.
 * A restart in place writes it first; after a kill -9 at most one interval of done changes is delivered again (their
 * consumers drop them by event id).
 */
@ApplicationScoped
@Named("replayWindow")
public class ReplayWindow {
    private static final Logger LOG = Logger.getLogger(ReplayWindow.class);

    private final ReplayCheckpoints checkpoints;
    private final int size;
    private final Map<String, InFlightReplays> subscriptions = new ConcurrentHashMap<>();
    /** Per subscription, the newest position not yet written (interval above zero only). */
    private final Map<String, PendingPosition> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer;
    private final long intervalMillis;
    /** A write of the pending positions is scheduled and has not started yet. */
    private final AtomicBoolean writeScheduled = new AtomicBoolean();

    /** Every advance written at once, by the thread that completed it. */
    public ReplayWindow(ReplayCheckpoints checkpoints, int size) {
        this(checkpoints, size, Duration.ZERO);
    }

    @Inject
    public ReplayWindow(ReplayCheckpoints checkpoints, @ConfigProperty(name = "revops.salesforce.publish-window") int size,
            @ConfigProperty(name = "revops.salesforce.checkpoint-interval") Duration interval) {
        this.checkpoints = checkpoints;
        this.size = size;
        this.intervalMillis = Math.max(1, interval.toMillis());
        if (interval.isZero()) {
            this.writer = null;
        } else {
            this.writer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "replay-checkpoint-writer");
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** Route step, first of the route: the event enters the window (waiting for room), its completion is watched. */
    public void enter(Exchange exchange) throws InterruptedException {
        String replayId = exchange.getMessage().getHeader(SalesforceConstants.HEADER_SALESFORCE_PUBSUB_REPLAY_ID, String.class);
        if (replayId == null) {
            throw new IllegalStateException("no " + SalesforceConstants.HEADER_SALESFORCE_PUBSUB_REPLAY_ID + " header to checkpoint");
        }
        String subscription = exchange.getFromRouteId();
        String topic = exchange.getFromEndpoint() == null ? "" : exchange.getFromEndpoint().getEndpointBaseUri();
        InFlightReplays inFlight = subscriptions.computeIfAbsent(subscription, s -> new InFlightReplays(size, writer == null
                ? position -> save(s, topic, position)
                : writtenLater(pending.computeIfAbsent(s, p -> new PendingPosition(position -> save(s, topic, position))))));
        InFlightReplays.Entry entry = inFlight.enter(replayId);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                boolean durable = done.getException() == null || ExchangeHelper.isFailureHandled(done);
                if (!durable) {
                    LOG.warnf("Checkpoint of %s held before replay id %s: its event failed and was not dead-lettered;"
                            + " it is delivered again when the subscription restarts", subscription, replayId);
                }
                inFlight.done(entry, durable);
            }
        });
    }

    /**
     * The subscription starts again from its checkpoint: what the previous one held or had in flight (stopping a route
     * waits for its exchanges) counts no more.
     */
    void restart(String subscription) {
        subscriptions.remove(subscription);
        PendingPosition unwritten = pending.remove(subscription);
        if (unwritten != null) {
            unwritten.write(); // the new subscription resumes after every change the previous one finished
        }
    }

    /** The newest position goes to {@code position}, written by the writer thread at most one interval later. */
    private Consumer<String> writtenLater(PendingPosition position) {
        return replayId -> {
            position.offer(replayId);
            scheduleWrite();
        };
    }

    private void scheduleWrite() {
        if (writeScheduled.compareAndSet(false, true)) {
            try {
                writer.schedule(this::writeScheduled, intervalMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                writeScheduled.set(false); // stop() writes what is pending
            }
        }
    }

    private void writeScheduled() {
        // cleared before writing: an advance arriving during the write schedules the next one
        writeScheduled.set(false);
        if (!writePending()) {
            scheduleWrite(); // not saved (logged by save()): tried again one interval later
        }
    }

    /** Writes every subscription's pending position; false if one of them could not be saved. */
    private boolean writePending() {
        boolean allSaved = true;
        for (PendingPosition position : pending.values()) {
            try {
                position.write();
            } catch (RuntimeException notSaved) {
                allSaved = false;
            }
        }
        return allSaved;
    }

    /** Stopping: what is done is written (the routes have stopped before the beans go). */
    @PreDestroy
    void stop() {
        if (writer != null) {
            writer.shutdown();
            writePending();
        }
    }

    /** The newest position of a subscription, written when it differs from the last one written. */
    private static final class PendingPosition {
        private final AtomicReference<String> newest = new AtomicReference<>();
        private final Consumer<String> saver;
        private String written;

        PendingPosition(Consumer<String> saver) {
            this.saver = saver;
        }

        /** Called one at a time and in order by InFlightReplays: positions only move forward. */
        void offer(String position) {
            newest.set(position);
        }

        synchronized void write() {
            String target = newest.get();
            if (target != null && !target.equals(written)) {
                saver.accept(target);
                written = target;
            }
        }
    }

    private void save(String subscription, String topic, String replayId) {
        try {
            checkpoints.save(subscription, topic, replayId);
        } catch (SQLException e) {
            // the checkpoint stays behind (safe: a restart replays more, never less); the next advance saves again
            LOG.warnf("Checkpoint of %s not saved (%s): it stays at the previous position for now", subscription, e.getMessage());
            throw new IllegalStateException(e);
        }
    }
}
