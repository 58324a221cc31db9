package io.revops.bridge.policy;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

import io.revops.bridge.canonical.CloudEvent;

/**
 * What a route consumed, captured when its exchange begins, for every route without a step in any of them (Camel
 * applies route policy factories from the registry to all routes):
 * <ul>
 * <li>an event read from Kafka without a CloudEvent id gets a stable one, {@code derived:<topic>:<partition>:<offset>},
 * as {@code ce_id}, with header {@code revops_derived_id=true} (validation refuses it as invalid-event, and so it has
 * a dead letter, lineage and a replay; a replay sends the derived id without the marker: the operator vouches for
 * it);</li>
 * <li>the id, type and business key of the consumed event and the SHA-256 of its body, as exchange properties: lineage
 * records hops under the consumed event even when the route publishes another one, dead letters and idempotency keys
 * name it, and the content hash tells an id reused with other content from a duplicate.</li>
 * </ul>
 */
@ApplicationScoped
@Named("consumedEvents")
public class ConsumedEvents implements RoutePolicyFactory {
    public static final String DERIVED_ID_HEADER = "revops_derived_id";
    public static final String EVENT_ID = "revopsConsumedEventId";
    public static final String EVENT_TYPE = "revopsConsumedEventType";
    public static final String SUBJECT = "revopsConsumedSubject";
    public static final String CONTENT_HASH = "revopsConsumedContentHash";
    public static final String LOCATION = "revopsConsumedLocation";

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                // a sub-route (direct:dead-letter) works on the event its caller consumed
                if (exchange.getProperty(CONTENT_HASH) == null) {
                    capture(exchange);
                }
            }
        };
    }

    static void capture(Exchange exchange) {
        var message = exchange.getMessage();
        Object topic = message.getHeader(KafkaConstants.TOPIC);
        if (topic != null) {
            String location = topic + ":" + message.getHeader(KafkaConstants.PARTITION) + ":"
                    + message.getHeader(KafkaConstants.OFFSET);
            exchange.setProperty(LOCATION, location);
            if (text(message.getHeader(CloudEvent.ID)) == null) {
                derive(message, location);
                // the copy a dead letter keeps (the event as it entered the route) carries it too, for its replay
                var original = exchange.getUnitOfWork() == null ? null : exchange.getUnitOfWork().getOriginalInMessage();
                if (original != null && original != message) {
                    derive(original, location);
                }
            }
        }
        setIfPresent(exchange, EVENT_ID, message.getHeader(CloudEvent.ID));
        setIfPresent(exchange, EVENT_TYPE, message.getHeader(CloudEvent.TYPE));
        setIfPresent(exchange, SUBJECT, message.getHeader(CloudEvent.SUBJECT));
        exchange.setProperty(CONTENT_HASH, contentHash(message.getBody()));
    }

    private static void derive(org.apache.camel.Message message, String location) {
        message.setHeader(CloudEvent.ID, "derived:" + location);
        message.setHeader(DERIVED_ID_HEADER, "true");
    }

    /** SHA-256 of a body as it came in (text or bytes; anything else by its text form). */
    public static String contentHash(Object body) {
        if (body instanceof byte[] bytes) {
            return StoredText.sha256(bytes);
        }
        return StoredText.sha256(body == null ? "" : body.toString());
    }

    /** The consumed event's id, type or subject (one of this class's property names), or null. */
    public static String consumed(Exchange exchange, String property) {
        return exchange.getProperty(property, String.class);
    }

    private static void setIfPresent(Exchange exchange, String property, Object header) {
        String value = text(header);
        if (value != null) {
            exchange.setProperty(property, value);
        }
    }

    static String text(Object header) {
        String value = header instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : header == null ? null : header.toString();
        return value == null || value.isBlank() ? null : value;
    }
}
