package io.revops.bridge.ops;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.InflightRepository;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.revops.bridge.canonical.CloudEvent;
import io.revops.bridge.policy.DeadLetterStore;

/**
 * Exchanges inflight for longer than revops.stuck-exchange-threshold: a hung ERP call, a blocked Kafka send. They
 * are listed with route, current step, age and business key, counted in the gauge revops.stuck.exchanges, and
 * logged once at WARN (checked every 5 seconds); Hawtio shows the same inflight exchanges over Jolokia.
 */
@ApplicationScoped
public class StuckExchanges extends RouteBuilder {
    private static final Logger LOG = Logger.getLogger(StuckExchanges.class);

    public record Stuck(String exchangeId, String routeId, String step, long ageMillis, String businessKey, String eventId) {
    }

    @Inject
    CamelContext camel;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "revops.stuck-exchange-threshold")
    Duration threshold;

    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Override
    public void configure() {
        Gauge.builder("revops.stuck.exchanges", this, s -> s.list().size())
                .description("Exchanges inflight longer than the stuck threshold").register(meters);
        from("timer:stuck-exchange-watch?period=5000").routeId("stuck-exchange-watch").process(e -> logNewOnes());
    }

    public List<Stuck> list() {
        return camel.getInflightRepository().browse(-1, true).stream()
                .filter(inflight -> inflight.getDuration() >= threshold.toMillis())
                .filter(inflight -> !"stuck-exchange-watch".equals(inflight.getFromRouteId()))
                .map(StuckExchanges::stuck).toList();
    }

    private void logNewOnes() {
        List<Stuck> stuck = list();
        for (Stuck s : stuck) {
            if (reported.add(s.exchangeId())) {
                LOG.warnf("Stuck exchange %s in route %s at step %s for %d ms (key %s, event %s)", s.exchangeId(),
                        s.routeId(), s.step(), s.ageMillis(), s.businessKey(), s.eventId());
            }
        }
        reported.retainAll(stuck.stream().map(Stuck::exchangeId).toList());
    }

    private static Stuck stuck(InflightRepository.InflightExchange inflight) {
        var message = inflight.getExchange().getMessage();
        Object key = message.getHeader(CloudEvent.SUBJECT);
        return new Stuck(inflight.getExchange().getExchangeId(), inflight.getFromRouteId(), inflight.getNodeId(),
                inflight.getDuration(), String.valueOf(key != null ? key : message.getHeader(DeadLetterStore.BUSINESS_KEY_HEADER)),
                message.getHeader(CloudEvent.ID, String.class));
    }
}
