package io.revops.bridge.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.revops.bridge.canonical.CloudEvent;

/**
 * Replays a dead letter through the route it failed in, with the same idempotency: the event goes back, unchanged
 * and with its CloudEvent id, onto the Kafka topic the route consumes. The route that failed never committed the
 * event's idempotency key, so it applies it now; every other consumer of the topic already did and skips it, and
 * a second replay is skipped by all. An event that came without an id carries the id derived for it
 * ("derived:<topic>:<partition>:<offset>") and not the marker revops_derived_id: the operator vouches for it.
 * Events that did not come from Kafka (Salesforce change events that could not
 * be mapped) cannot be re-injected: their records need a resync from Salesforce.
 */
@ApplicationScoped
public class DeadLetterReplayer {
    private final ProducerTemplate producer;
    private final MeterRegistry meters;

    @Inject
    public DeadLetterReplayer(ProducerTemplate producer, MeterRegistry meters) {
        this.producer = producer;
        this.meters = meters;
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
        producer.sendBodyAndHeaders("kafka:" + topic + "?synchronous=true", deadLetter.payload(), headers);
        Counter.builder("revops.replays").description("Dead letters replayed by operators")
                .tag("route", deadLetter.routeId()).register(meters).increment();
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
