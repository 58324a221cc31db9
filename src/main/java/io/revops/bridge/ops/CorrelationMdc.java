package io.revops.bridge.ops;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.jboss.logging.MDC;

import io.revops.bridge.canonical.CloudEvent;
import io.revops.bridge.policy.DeadLetterStore;

/**
 * Puts the event's correlation id, business key, event id and route into the logging MDC before every step of every
 * route (an inbound route learns them half-way, from its mapping), and clears them when the route is done with the
 * event. The production JSON logs carry the MDC, so every line of an event's work can be found by correlation id.
 * Camel picks up intercept strategies and route policy factories from the registry and applies them to all routes.
 */
@ApplicationScoped
@Named("correlationMdc")
public class CorrelationMdc implements InterceptStrategy, RoutePolicyFactory {
    private static final Map<String, String> KEYS = Map.of(
            "correlationId", CloudEvent.CORRELATION_ID,
            "businessKey", CloudEvent.SUBJECT,
            "eventId", CloudEvent.ID);

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext camel, NamedNode definition, Processor target, Processor next) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                KEYS.forEach((mdc, header) -> put(mdc, exchange.getMessage().getHeader(header)));
                if (MDC.get("businessKey") == null) {
                    put("businessKey", exchange.getMessage().getHeader(DeadLetterStore.BUSINESS_KEY_HEADER));
                }
                put("routeId", exchange.getFromRouteId());
                return super.process(exchange, callback);
            }
        };
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                // a sub-route (direct:dead-letter) ends inside the consuming route's work: keep the context
                if (route.getRouteId().equals(exchange.getFromRouteId())) {
                    KEYS.keySet().forEach(MDC::remove);
                    MDC.remove("routeId");
                }
            }
        };
    }

    private static void put(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString());
        }
    }
}
