package io.revops.bridge.ops;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.revops.bridge.canonical.CloudEvent;

/**
 * Replays a dead letter through the route it failed in, with the same idempotency: the event goes back, unchanged
 * and with its CloudEvent id, onto the Kafka topic the route consumes. The route that failed never committed the
 * event's idempotency key, so it applies it now; every other consumer of the topic already did and skips it, and
 * a second replay is skipped by all. An event that came without an id carries the id derived for it
 * ("derived:<topic>:<partition>:<offset>") and not the marker revops_derived_id: the operator vouches for it.
 * Events that did not come from Kafka (Salesforce change events that could not be mapped) cannot be re-injected:
 * their records need a resync from Salesforce. A record the producer would refuse as too large (max.request.size) is
 * refused here, before anything is sent, with the way to repair it.
 */
@ApplicationScoped
public class DeadLetterReplayer {
    // what Kafka adds to a record besides key, value and headers: batch header, varints, attributes (generous)
    static final int RECORD_OVERHEAD = 512;

    private final ProducerTemplate producer;
    private final MeterRegistry meters;
    private final int maxRequestSize;

    @Inject
    public DeadLetterReplayer(ProducerTemplate producer, MeterRegistry meters,
            @ConfigProperty(name = "camel.component.kafka.max-request-size", defaultValue = "1048576") int maxRequestSize) {
        this.producer = producer;
        this.meters = meters;
        this.maxRequestSize = maxRequestSize;
    }

    /** Thrown when the record would be over the producer's max.request.size: Kafka would refuse it. */
    public static class TooLarge extends RuntimeException {
        public TooLarge(String message) {
            super(message);
        }
    }

    /** Thrown when a dead letter has no way back into its route. */
    public static class NotReplayable extends RuntimeException {
        public NotReplayable(String message) {
            super(message);
        }
    }

    public void replay(DeadLetter deadLetter) {
        String topic = kafkaTopic(deadLetter.sourceEndpoint());
        if (topic != null && deadLetter.eventId() == null) {
            // before event ids were derived for events without one (policy.ConsumedEvents)
            throw new NotReplayable("dead letter " + deadLetter.id() + " of route " + deadLetter.routeId()
                    + " came from Kafka topic " + topic + " without a CloudEvent id: republish it with a ce_id instead");
        }
        if (topic == null) {
            throw new NotReplayable("dead letter " + deadLetter.id() + " of route " + deadLetter.routeId()
                    + " did not come from Kafka (" + deadLetter.sourceEndpoint() + "): resync its records ("
                    + deadLetter.businessKey() + ") from the source system instead");
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        deadLetter.headers().forEach((name, value) -> {
            if (name.startsWith(CloudEvent.HEADER_PREFIX) || name.equals(CloudEvent.CONTENT_TYPE)) {
                headers.put(name, value);
            }
        });
        String key = deadLetter.headers().getOrDefault(KafkaConstants.KEY, deadLetter.businessKey());
        headers.put(KafkaConstants.KEY, key);
        checkSize(deadLetter, key, headers);
        producer.sendBodyAndHeaders("kafka:" + topic + "?synchronous=true", deadLetter.payload(), headers);
        Counter.builder("revops.replays").description("Dead letters replayed by operators")
                .tag("route", deadLetter.routeId()).register(meters).increment();
    }

    private void checkSize(DeadLetter deadLetter, String key, Map<String, Object> headers) {
        long size = RECORD_OVERHEAD + utf8Length(key) + utf8Length(deadLetter.payload());
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            size += header.getKey().equals(KafkaConstants.KEY) ? 0 : utf8Length(header.getKey()) + utf8Length(String.valueOf(header.getValue()));
        }
        if (size > maxRequestSize) {
            throw new TooLarge("dead letter " + deadLetter.id() + " makes a Kafka record of about " + size
                    + " bytes, over the producer's max.request.size of " + maxRequestSize + " bytes: it cannot be"
                    + " replayed as it is. Repair: discard it with a reason and resync the record ("
                    + deadLetter.businessKey() + ") from the source system, or raise camel.component.kafka.max-request-size"
                    + " (and the topic's max.message.bytes) and replay again.");
        }
    }

    private static long utf8Length(String value) {
        return value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** "kafka://revops.account.v1?groupId=..." -> "revops.account.v1" */
    static String kafkaTopic(String endpointUri) {
        if (endpointUri == null || !endpointUri.startsWith("kafka:")) {
            return null;
        }
        String rest = endpointUri.substring("kafka:".length()).replaceFirst("^//", "");
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }
}
