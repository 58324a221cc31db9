package io.revops.bridge.reconciliation;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import io.revops.bridge.canonical.CloudEvents;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.mapping.Mappings;

/**
 * The invoice and payment reconcilers' repairs: a record read again from its system of record, mapped by the same
 * mapping its inbound route applies, its event id replaced by one derived from the repair id (the routes' idempotency
 * has the original id already), validated and published to the object's topic, where the normal routes apply it.
 */
@ApplicationScoped
public class RepublishedEvents {
    private final ProducerTemplate producer;
    private final CloudEvents cloudEvents;
    private final Mappings mappings;
    private final Json json;

    @Inject
    public RepublishedEvents(ProducerTemplate producer, CloudEvents cloudEvents, Mappings mappings, Json json) {
        this.producer = producer;
        this.cloudEvents = cloudEvents;
        this.mappings = mappings;
        this.json = json;
    }

    /** The CloudEvent id of a repair: derived from the repair id, so a retried repair is the same event. */
    public static String eventId(String repairId) {
        return "reconciliation:" + repairId;
    }

    /** Applies {@code mapping} as its route step does ({@code withHeaders}: input is {body, headers, variables}). */
    public Map<String, Object> map(String mapping, Object input) {
        return json.toMap(mappings.get(mapping).apply(json.toTree(input)));
    }

    /** Publishes the mapped event under the repair's event id; fails if Kafka did not take it. */
    public void publish(String topic, Map<String, Object> mapped, String repairId) {
        Map<String, Object> event = new LinkedHashMap<>(mapped);
        event.put("id", eventId(repairId));
        event.put("causationId", mapped.get("id"));
        Exchange exchange = new DefaultExchange(producer.getCamelContext());
        exchange.getMessage().setBody(event);
        cloudEvents.toKafkaRecord(exchange);
        Exchange sent = producer.send("kafka:" + topic + "?synchronous=true", exchange);
        if (sent.getException() != null) {
            throw new IllegalStateException("the repair was not published to " + topic + ": "
                    + sent.getException().getMessage(), sent.getException());
        }
    }
}
