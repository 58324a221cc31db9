package io.revops.bridge.canonical;

import java.util.Objects;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;

/**
 * Which of the routes consuming a topic dead-letters an invalid event: the first one by route id, so one bad event
 * is one dead letter, not one per consumer (revops.order.v1 has three). The others skip it. The choice is
 * deterministic, needs no configuration and holds for stopped routes too (the owner dead-letters it when it runs).
 * An exchange that did not come from a Kafka topic (a test's direct endpoint) is its own route's to dead-letter.
 */
final class InvalidEventOwner {
    private InvalidEventOwner() {
    }

    static boolean isOwner(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
        String routeId = exchange.getFromRouteId();
        if (topic == null || routeId == null) {
            return true;
        }
        String owner = exchange.getContext().getRoutes().stream().filter(route -> consumes(route, topic))
                .map(Route::getRouteId).sorted().findFirst().orElse(routeId);
        return Objects.equals(owner, routeId);
    }

    private static boolean consumes(Route route, String topic) {
        return route.getEndpoint() instanceof KafkaEndpoint kafka && topic.equals(kafka.getConfiguration().getTopic());
    }
}
