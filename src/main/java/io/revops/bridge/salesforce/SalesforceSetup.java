package io.revops.bridge.salesforce;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.camel.quarkus.main.events.BeforeConfigure;

import io.revops.bridge.ops.DatabaseSchema;

/**
 * Registers {{sf-replay:<route-id>}} before routes are configured, so inbound routes resume from checkpoints, and
 * SubscriptionRestarts, so they also do when started again in place.
 */
@ApplicationScoped
public class SalesforceSetup {
    @Inject
    ReplayCheckpoints checkpoints;
    @Inject
    DatabaseSchema schema;
    @Inject
    SubscriptionRestarts restarts;

    void registerReplayFunction(@Observes BeforeConfigure event) {
        event.getCamelContext().getPropertiesComponent().addPropertiesFunction(new ReplayPositionFunction(checkpoints, schema::ready));
        event.getCamelContext().addLifecycleStrategy(restarts);
    }
}
