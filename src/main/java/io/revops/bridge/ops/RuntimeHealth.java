package io.revops.bridge.ops;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.SupervisingRouteController;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import io.revops.bridge.policy.Circuits;
import io.revops.bridge.policy.DeadLetterStore;
import io.revops.bridge.policy.LeaderOnly;
import io.revops.bridge.policy.StoreOutage;

/**
 * Health as Kubernetes probes read it (/q/health/live, /ready, /started; the database check comes from Agroal):
 * live while the Camel context runs; ready when Kafka answers, every route is started (the Salesforce subscription
 * on the leader only: a standby is ready without it), no circuit is open and the dead-letter store works; started
 * once Camel is up. The
 * leadership check says whether this instance leads.
 */
@ApplicationScoped
public class RuntimeHealth {
    @Inject
    CamelContext camel;
    @Inject
    Circuits circuits;
    @Inject
    LeaderOnly leaderOnly;
    @Inject
    KafkaAdmin kafka;
    @Inject
    DeadLetterStore deadLetters;
    @Inject
    DatabaseSchema schema;

    @Liveness
    HealthCheck camelRunning() {
        return () -> HealthCheckResponse.named("camel").status(!camel.isStopped()).withData("status", camel.getStatus().name())
                .build();
    }

    @Startup
    HealthCheck camelStarted() {
        return () -> HealthCheckResponse.named("camel-started").status(camel.isStarted()).build();
    }

    @Readiness
    HealthCheck routes() {
        return () -> {
            var response = HealthCheckResponse.named("routes").up();
            for (Route route : camel.getRoutes()) {
                ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
                response.withData(route.getRouteId(), status == ServiceStatus.Started ? "Started" : status + whyNotStarted(route.getRouteId()));
                boolean standingBy = !leaderOnly.isLeader() && leaderOnly.routes().contains(route.getRouteId());
                if (status != ServiceStatus.Started && !standingBy) {
                    response.down();
                }
            }
            return response.build();
        };
    }

    /** DOWN while the runtime database's schema could not be migrated (the database did not answer), with the cause. */
    @Readiness
    HealthCheck databaseSchema() {
        return () -> {
            var response = HealthCheckResponse.named("database-schema").status(schema.ready());
            if (!schema.ready()) {
                response.withData("error", schema.lastError());
            }
            return response.build();
        };
    }

    /** The supervising route controller's last start failure of a route it keeps trying to start, if any. */
    private String whyNotStarted(String routeId) {
        if (camel.getRouteController() instanceof SupervisingRouteController supervisor) {
            Throwable failure = supervisor.getRestartException(routeId);
            if (failure != null) {
                Throwable root = failure;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return " (starting again with backoff: " + root.getMessage() + ")";
            }
        }
        return "";
    }

    @Readiness
    HealthCheck kafka() {
        return () -> {
            try {
                int brokers = kafka.client().describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
                return HealthCheckResponse.named("kafka").up().withData("brokers", brokers).build();
            } catch (Exception e) {
                return HealthCheckResponse.named("kafka").down().withData("error", String.valueOf(e.getMessage())).build();
            }
        };
    }

    @Readiness
    HealthCheck circuits() {
        return () -> {
            var response = HealthCheckResponse.named("circuits").up();
            circuits.states().forEach((system, state) -> {
                response.withData(system, state);
                if ("OPEN".equals(state)) {
                    response.down();
                }
            });
            return response.build();
        };
    }

    /** DOWN while dead letters cannot be stored: failed events stay in Kafka and come again with backoff. */
    @Readiness
    HealthCheck deadLetterStore() {
        return () -> {
            StoreOutage outage = deadLetters.outage();
            var response = HealthCheckResponse.named("dead-letter-store").status(!outage.failing());
            if (outage.failing()) {
                response.withData("consecutiveFailures", outage.consecutiveFailures())
                        .withData("lastError", String.valueOf(outage.lastError()));
            }
            return response.build();
        };
    }

    @Readiness
    HealthCheck leadership() {
        return () -> HealthCheckResponse.named("leadership").up().withData("mode", leaderOnly.mode())
                .withData("leader", leaderOnly.isLeader()).build();
    }
}
