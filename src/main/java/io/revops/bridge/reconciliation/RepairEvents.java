package io.revops.bridge.reconciliation;

import java.sql.SQLException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import io.revops.bridge.canonical.CloudEvents;
import io.revops.bridge.ops.LineageRecorder;

/**
 * Publishes a reconciler's repair: a canonical event, as a mapping would produce it ({id, type, source, subject, time,
 * correlationId, data}), validated and sent to the object's topic like every route's event, so the normal routes
 * apply it with their ownership, idempotency and policies. Lineage shows it as a hop of route "reconciliation" naming
 * the drift.
 */
@ApplicationScoped
public class RepairEvents {
    static final String ROUTE = "reconciliation";

    private final ProducerTemplate producer;
    private final CloudEvents cloudEvents;
    private final ReconciliationStore store;

    @Inject
    public RepairEvents(ProducerTemplate producer, CloudEvents cloudEvents, ReconciliationStore store) {
        this.producer = producer;
        this.cloudEvents = cloudEvents;
        this.store = store;
    }

    /** The CloudEvent id of a repair: derived from the repair id, so a retried repair is the same event. */
    public static String eventId(String repairId) {
        return "reconciliation:" + repairId;
    }

    public void publish(String topic, Map<String, Object> event, String repairId) throws SQLException {
        String driftId = store.findByRepairId(repairId).map(StoredDrift::id).orElse("?");
        Exchange exchange = new DefaultExchange(producer.getCamelContext());
        exchange.getMessage().setBody(event);
        exchange.setProperty(LineageRecorder.HOP_ROUTE, ROUTE);
        exchange.setProperty(LineageRecorder.HOP_DETAIL, "repair " + repairId + " of drift " + driftId + " -> " + topic);
        cloudEvents.toKafkaRecord(exchange);
        Exchange sent = producer.send("kafka:" + topic + "?synchronous=true", exchange);
        if (sent.getException() != null) {
            throw new IllegalStateException("the repair event was not published to " + topic + ": "
                    + sent.getException().getMessage(), sent.getException());
        }
    }
}
