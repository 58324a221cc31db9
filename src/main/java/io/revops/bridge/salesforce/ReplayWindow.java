package io.revops.bridge.salesforce;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 */
@ApplicationScoped
@Named("replayWindow")
public class ReplayWindow {
    private static final Logger LOG = Logger.getLogger(ReplayWindow.class);

    private final ReplayCheckpoints checkpoints;
    private final int size;
    private final Map<String, InFlightReplays> subscriptions = new ConcurrentHashMap<>();

    @Inject
    public ReplayWindow(ReplayCheckpoints checkpoints, @ConfigProperty(name = "revops.salesforce.publish-window") int size) {
        this.checkpoints = checkpoints;
        this.size = size;
    }

    /** Route step, first of the route: the event enters the window (waiting for room), its completion is watched. */
    public void enter(Exchange exchange) throws InterruptedException {
        String replayId = exchange.getMessage().getHeader(SalesforceConstants.HEADER_SALESFORCE_PUBSUB_REPLAY_ID, String.class);
        if (replayId == null) {
            throw new IllegalStateException("no " + SalesforceConstants.HEADER_SALESFORCE_PUBSUB_REPLAY_ID + " header to checkpoint");
        }
        String subscription = exchange.getFromRouteId();
        String topic = exchange.getFromEndpoint() == null ? "" : exchange.getFromEndpoint().getEndpointBaseUri();
        InFlightReplays inFlight = subscriptions.computeIfAbsent(subscription,
                s -> new InFlightReplays(size, position -> save(s, topic, position)));
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
