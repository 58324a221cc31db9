package io.revops.bridge.policy;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One circuit breaker per external system (erp, billing, salesforce). A circuit opens when at least half of the
 * last calls (and at least {@code minimum-calls} of them) failed transiently, stays open for {@code open-for}, then
 * lets a few trial calls through: they close it again or reopen it. While open, routes leave their events in Kafka.
 * States are the gauge revops.circuit.state{system} (0 closed, 1 open, 2 half-open) and part of readiness.
 */
@ApplicationScoped
@Named("circuits")
public class Circuits {
    private static final Logger LOG = LoggerFactory.getLogger(Circuits.class);

    private final CircuitBreakerConfig config;
    private final MeterRegistry metrics;
    private final Map<String, Circuit> circuits = new ConcurrentHashMap<>();

    @Inject
    public Circuits(MeterRegistry metrics,
            @ConfigProperty(name = "revops.circuit.failure-rate", defaultValue = "50") float failureRate,
            @ConfigProperty(name = "revops.circuit.window", defaultValue = "10") int window,
            @ConfigProperty(name = "revops.circuit.minimum-calls", defaultValue = "5") int minimumCalls,
            @ConfigProperty(name = "revops.circuit.open-for", defaultValue = "PT30S") Duration openFor,
            @ConfigProperty(name = "revops.circuit.trial-calls", defaultValue = "2") int trialCalls) {
        this.metrics = metrics;
        this.config = CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRate)
                .slidingWindowSize(window)
                .minimumNumberOfCalls(minimumCalls)
                .waitDurationInOpenState(openFor)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(trialCalls)
                .recordExceptions(TransientFailureException.class)
                .build();
    }

    public Circuit circuit(String system) {
        return circuits.computeIfAbsent(system, s -> new Circuit(s, breaker(s)));
    }

    /** Every circuit created so far and its state (CLOSED, OPEN, HALF_OPEN). */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        circuits.forEach((system, circuit) -> states.put(system, circuit.state()));
        return states;
    }

    private CircuitBreaker breaker(String system) {
        CircuitBreaker breaker = CircuitBreaker.of(system, config);
        breaker.getEventPublisher().onStateTransition(event -> {
            var transition = event.getStateTransition();
            if (transition == CircuitBreaker.StateTransition.CLOSED_TO_OPEN) {
                LOG.warn("Circuit {} opened: calls to {} suspended for now, events wait in Kafka", system, system);
            } else {
                LOG.info("Circuit {}: {} -> {}", system, transition.getFromState(), transition.getToState());
            }
        });
        Gauge.builder("revops.circuit.state", breaker, b -> switch (b.getState()) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        }).tag("system", system).description("0 closed, 1 open, 2 half-open").register(metrics);
        return breaker;
    }
}
