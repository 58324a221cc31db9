package io.revops.bridge.ops;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.ExchangeHelper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.revops.bridge.canonical.CloudEvent;
import io.revops.bridge.policy.CircuitOpenException;
import io.revops.bridge.policy.ConsumedEvents;
import io.revops.bridge.policy.DeadLetterStore;
import io.revops.bridge.policy.ParkedEvents;
import io.revops.bridge.policy.PrerequisiteMissingException;
import io.revops.bridge.policy.StoredText;

/**
 * Records every hop of every event without a step in any route: when a route publishes a CloudEvent to Kafka
 * ("published"), and how a route that consumed one ended: "applied", "skipped" (its filter said the event is not for
 * it: another type on the topic, nothing the target owns changed), "duplicate" (its idempotent consumer had seen the
 * event), "dead-lettered", "held" (left in Kafka while a circuit is open), "waiting" (left in Kafka until what it
 * needs reaches the target) or "failed". Applied events also feed the sync latency histogram revops.sync.latency{route}, duplicates the
 * counter revops.duplicates{route}. A lineage write never fails an exchange: lineage is for people, the effect
 * already happened. Hops are written behind the routes, in batches ({@link LineageWriter}).
 */
@ApplicationScoped
@Named("lineageRecorder") // found by type by Camel, which adds event notifiers from the registry
public class LineageRecorder extends EventNotifierSupport {
    /** The exchange property a route's "is this event for me" filter reports to (filter option statusPropertyName). */
    static final String RELEVANT = "relevant";
    /**
     * Exchange properties of an event published outside any route (a reconciliation repair): the route its hop is
     * recorded under, and its detail (which drift it repairs). Properties, not headers: they never reach Kafka.
     */
    public static final String HOP_ROUTE = "revops.lineage.route";
    public static final String HOP_DETAIL = "revops.lineage.detail";

    private final LineageWriter writer;
    private final MeterRegistry meters;
    private final SyncLatency latency;
    private final Map<String, Counter> duplicates = new ConcurrentHashMap<>();

    @Inject
    public LineageRecorder(DataSource dataSource, MeterRegistry meters) {
        this.writer = new LineageWriter(dataSource);
        this.meters = meters;
        this.latency = new SyncLatency(meters);
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeFailedEvents(false);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSentEvent sent) {
            String uri = sent.getEndpoint().getEndpointUri();
            if (uri.startsWith("kafka:") && header(sent.getExchange(), CloudEvent.ID) != null) {
                // stamped when the send began: a consumer can finish with the event before the producer hears the ack
                String detail = sent.getExchange().getProperty(HOP_DETAIL, String.class);
                record(sent.getExchange(), "published", detail != null ? detail : uri.replaceFirst("\\?.*", ""),
                        Instant.now().minusMillis(sent.getTimeTaken()));
            }
        } else if (event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent) {
            Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
            // a parked event offered again that still waits: its "parked" hop is already there, once is enough
            boolean stillParked = ParkedEvents.isParked(exchange) && exchange.getProperty(ParkedEvents.PARKED_ROW) != null;
            if (!stillParked && exchange.getFromRouteId() != null && !exchange.getFromRouteId().equals("dead-letter")
                    && (header(exchange, CloudEvent.ID) != null || header(exchange, DeadLetterStore.BUSINESS_KEY_HEADER) != null)) {
                String outcome = outcome(exchange, event instanceof ExchangeFailedEvent);
                record(exchange, outcome, detail(exchange, outcome), Instant.now());
                if ("applied".equals(outcome)) {
                    latency.applied(exchange, header(exchange, CloudEvent.TIME));
                } else if ("duplicate".equals(outcome)) {
                    duplicates.computeIfAbsent(exchange.getFromRouteId(), route -> Counter.builder("revops.duplicates")
                            .tag("route", route).description("Events dropped by a route's idempotent consumer")
                            .register(meters)).increment();
                }
            }
        }
    }

    private static String outcome(Exchange exchange, boolean failed) {
        if (ParkedEvents.isParked(exchange)) {
            return "parked";
        }
        if (failed) {
            Exception failure = exchange.getException();
            return failure instanceof CircuitOpenException ? "held"
                    : failure instanceof PrerequisiteMissingException ? "waiting" : "failed";
        }
        if (ExchangeHelper.isFailureHandled(exchange)) {
            return "dead-lettered";
        }
        if (exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
            return "duplicate";
        }
        // the route's filter said the event is not for it (another event type on the topic, nothing it owns changed)
        if (Boolean.FALSE.equals(exchange.getProperty(RELEVANT, Boolean.class))) {
            return "skipped";
        }
        return "applied";
    }

    private static String detail(Exchange exchange, String outcome) {
        return switch (outcome) {
            case "held", "waiting" -> exchange.getException().getMessage();
            case "parked" -> {
                Throwable waitingFor = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                yield waitingFor == null ? null : waitingFor.getMessage();
            }
            default -> null;
        };
    }

    private void record(Exchange exchange, String outcome, String detail, Instant at) {
        boolean consumed = !"published".equals(outcome);
        String businessKey = header(exchange, CloudEvent.SUBJECT);
        if (businessKey == null) {
            businessKey = header(exchange, DeadLetterStore.BUSINESS_KEY_HEADER);
        }
        String correlationId = header(exchange, CloudEvent.CORRELATION_ID);
        writer.write(new LineageWriter.Hop(UUID.randomUUID().toString(), at,
                // outside any route, only the operations API (a replay) and the reconciliation (a repair) publish
                exchange.getFromRouteId() != null ? exchange.getFromRouteId()
                        : exchange.getProperty(HOP_ROUTE, "operations-api", String.class), outcome,
                StoredText.escape(consumed ? consumedOr(exchange, ConsumedEvents.EVENT_ID, CloudEvent.ID) : header(exchange, CloudEvent.ID)),
                StoredText.escape(consumed ? consumedOr(exchange, ConsumedEvents.EVENT_TYPE, CloudEvent.TYPE)
                        : header(exchange, CloudEvent.TYPE)),
                StoredText.escape(correlationId), StoredText.escape(businessKey), StoredText.escape(detail),
                StoredText.keyOf(businessKey), StoredText.keyOf(correlationId)));
    }

    /**
     * Waits until every hop recorded so far is in the database (at most 5 s): what reads the lineage in this runtime
     * calls it first, so it sees the hops of events that are done.
     */
    public void awaitRecorded() {
        try {
            writer.awaitWritten(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doStop() throws Exception {
        writer.stop(); // the routes have stopped: their last hops are written before the database goes
        super.doStop();
    }

    /** What the route consumed (captured when the exchange began), else the header as it is now. */
    private static String consumedOr(Exchange exchange, String property, String header) {
        String consumed = ConsumedEvents.consumed(exchange, property);
        return consumed != null ? consumed : header(exchange, header);
    }

    private static String header(Exchange exchange, String name) {
        Object value = exchange.getMessage().getHeader(name);
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value == null ? null : value.toString();
    }
}
