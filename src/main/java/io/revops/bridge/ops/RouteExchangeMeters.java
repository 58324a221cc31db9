package io.revops.bridge.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Camel's exchange event notifier for Micrometer (the same meters: {@code camel_exchanges_inflight} per route, the
 * {@code camel.exchange.event.notifier} timers, {@code camel.exchanges.last.timestamp}), with each timer looked up
 * once. Camel's own searched the whole meter registry for the last-exchange gauge at the end of every exchange and
 * built a timer id for every send: 5.6% of the account routes' CPU (JFR, issue 15). Camel's built-in one is off
 * ({@code quarkus.camel.metrics.enable-exchange-event-notifier=false}); Camel finds this one in the registry.
 */
@Singleton
@Named("routeExchangeMeters") // named: kept by Arc although nothing injects it; Camel looks event notifiers up by type
public class RouteExchangeMeters extends MicrometerExchangeEventNotifier {
    /** Timers per route, endpoint, event type and outcome: bounded, as endpoints with per-call URIs would grow it. */
    private static final int MAX_CACHED_TIMERS = 2_000;
    private static final String LAST_EXCHANGE = "camel.exchanges.last.timestamp";

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AtomicLong lastExchange = new AtomicLong();

    @Inject
    public RouteExchangeMeters(MeterRegistry meters) {
        setMeterRegistry(meters);
        setBaseEndpointURI(true); // as Camel Quarkus configures its own (quarkus.camel.metrics.base-endpoint-uri-...)
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (getMeterRegistry().find(LAST_EXCHANGE).gauge() == null) {
            Gauge.builder(LAST_EXCHANGE, lastExchange, AtomicLong::get)
                    .description("Last exchange processed time in milliseconds since the Unix epoch")
                    .register(getMeterRegistry());
        }
    }

    @Override
    protected void handleSentEvent(ExchangeSentEvent sent) {
        timer(sent, sent.getEndpoint(), "Time taken to send message to the endpoint")
                .record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handleDoneEvent(ExchangeEvent done) {
        Exchange exchange = done.getExchange();
        Endpoint from = exchange.getFromEndpoint();
        // the sample Camel's handleCreatedEvent put on the exchange, under the same property name
        Object sample = exchange.removeProperty("eventTimer:" + getNamingStrategy().getName(exchange, from));
        if (sample instanceof Timer.Sample started) {
            started.stop(timer(done, from, null));
        }
        lastExchange.set(System.currentTimeMillis());
    }

    private Timer timer(ExchangeEvent event, Endpoint endpoint, String description) {
        Exchange exchange = event.getExchange();
        String key = exchange.getFromRouteId() + '\n' + (endpoint == null ? "" : endpoint.getEndpointUri()) + '\n'
                + event.getClass().getName() + '\n' + exchange.isFailed();
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = Timer.builder(getNamingStrategy().getName(exchange, endpoint))
                    .tags(getNamingStrategy().getTags(event, endpoint)).description(description)
                    .register(getMeterRegistry());
            if (timers.size() < MAX_CACHED_TIMERS) {
                timers.put(key, timer);
            }
        }
        return timer;
    }
}
