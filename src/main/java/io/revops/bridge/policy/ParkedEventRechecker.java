package io.revops.bridge.policy;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.camel.quarkus.main.events.AfterStart;
import org.apache.camel.quarkus.main.events.BeforeStop;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Offers parked events again every revops.wait.recheck-every (ms) while Camel runs, on every replica: each row is
 * claimed in the database before it is offered, so replicas never offer the same event twice at once.
 */
@ApplicationScoped
public class ParkedEventRechecker {
    @Inject
    ParkedEvents parked;
    @ConfigProperty(name = "revops.wait.recheck-every", defaultValue = "5000")
    long everyMillis;

    private ScheduledExecutorService scheduler;

    void start(@Observes AfterStart event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "revops-parked-events");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(parked::recheck, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes BeforeStop event) throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
