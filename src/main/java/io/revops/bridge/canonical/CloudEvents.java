package io.revops.bridge.canonical;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import io.revops.bridge.mapping.Json;
import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.DeadLetterStore;

/**
 * Route step that turns a mapped event ({id, type, source, subject, time, correlationId, causationId?, data})
 * into a Kafka record in CloudEvents binary mode: ce_* headers, the canonical object as JSON value, and the
 * subject's account as record key so one customer's events stay in order on one partition. What it publishes must
 * be a valid canonical event ({@link CanonicalEvents}): an invalid one fails here, with its business key, and becomes
 * a dead letter of the producing route instead of a bad event on Kafka.
 */
@ApplicationScoped
@Named("cloudEvents")
public class CloudEvents {
    private final Json json;
    private final CanonicalEvents canonicalEvents;

    @Inject
    public CloudEvents(Json json, CanonicalEvents canonicalEvents) {
        this.json = json;
        this.canonicalEvents = canonicalEvents;
    }

    public void toKafkaRecord(Exchange exchange) {
        Message message = exchange.getMessage();
        CloudEvent event = parse(json.toMap(message.getBody()));
        String value = json.write(event.data());
        try {
            canonicalEvents.validateProduced(event, value);
        } catch (BusinessException invalid) {
            message.setHeader(DeadLetterStore.BUSINESS_KEY_HEADER, event.subject()); // the dead letter names the record
            throw invalid;
        }
        message.getHeaders().putAll(event.toKafkaHeaders());
        message.setHeader(KafkaConstants.KEY, partitionKey(event));
        message.setBody(value);
    }

    CloudEvent parse(Map<String, Object> mapped) {
        Object data = mapped.get("data");
        if (!(data instanceof Map)) {
            throw new BusinessException("invalid-event", "mapped event has no data object");
        }
        try {
            return new CloudEvent(text(mapped, "id"), text(mapped, "type"), text(mapped, "source"),
                    text(mapped, "subject"), Instant.parse(text(mapped, "time")), text(mapped, "correlationId"),
                    mapped.get("causationId") == null ? null : mapped.get("causationId").toString(), data);
        } catch (DateTimeParseException e) {
            throw new BusinessException("invalid-event", "mapped event has no valid time: " + e.getMessage(), e);
        }
    }

    /** Events about an account's objects are keyed by the account id; accounts by their own id. */
    private static String partitionKey(CloudEvent event) {
        if (event.data() instanceof Map<?, ?> data && data.get("accountId") != null) {
            return data.get("accountId").toString();
        }
        return event.subject();
    }

    private static String text(Map<String, Object> mapped, String name) {
        Object value = mapped.get(name);
        if (value == null || value.toString().isBlank()) {
            throw new BusinessException("invalid-event", "mapped event has no " + name);
        }
        return value.toString();
    }
}
