package io.revops.bridge.ops;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * The runtime database's schema (Flyway, db/migration), migrated by the runtime itself instead of Quarkus'
 * migrate-at-start: that one ends the process when the database does not answer at start, and on Kubernetes a
 * database outage then loops every pod (CrashLoopBackOff). Here the first attempt runs before the routes are built;
 * while it fails the runtime stays up, readiness check {@code database-schema} is DOWN with the cause, another attempt
 * follows every {@code revops.database.migrate-retry}, and what waits for the schema (the Salesforce subscriptions,
 * which resume from their checkpoints in it) starts once it is there.
 */
@ApplicationScoped
public class DatabaseSchema {
    private static final Logger LOG = Logger.getLogger(DatabaseSchema.class);

    private final List<Runnable> whenReady = new CopyOnWriteArrayList<>();
    private volatile boolean ready;
    private volatile String lastError = "not migrated yet";
    private ScheduledExecutorService retries;

    @Inject
    Flyway flyway;
    @ConfigProperty(name = "revops.database.migrate-retry", defaultValue = "PT5S")
    Duration retryEvery;

    void migrateBeforeRoutesAreBuilt(@Observes @Priority(10) BeforeConfigure event) {
        if (!migrate()) {
            retries = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "database-schema-migration");
                thread.setDaemon(true);
                return thread;
            });
            retries.scheduleWithFixedDelay(this::retry, retryEvery.toMillis(), retryEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public boolean ready() {
        return ready;
    }

    public String lastError() {
        return lastError;
    }

    /** Runs the action once the schema is there: now if it is. */
    public void whenReady(Runnable action) {
        whenReady.add(action);
        if (ready && whenReady.remove(action)) {
            action.run();
        }
    }

    private void retry() {
        if (migrate()) {
            retries.shutdown();
            for (Runnable action : whenReady) {
                if (whenReady.remove(action)) {
                    action.run();
                }
            }
        }
    }

    private boolean migrate() {
        try {
            int applied = flyway.migrate().migrationsExecuted;
            lastError = null;
            ready = true;
            LOG.infof("Database schema ready (%d migrations applied now)", applied);
            return true;
        } catch (RuntimeException e) {
            String cause = rootMessage(e);
            if (!cause.equals(lastError)) {
                LOG.warnf("Database schema not migrated, trying again every %s: %s", retryEvery, cause);
            }
            lastError = cause;
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @PreDestroy
    void stop() {
        if (retries != null) {
            retries.shutdownNow();
        }
    }
}
