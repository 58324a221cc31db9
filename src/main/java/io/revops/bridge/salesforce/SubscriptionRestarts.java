package io.revops.bridge.salesforce;

import java.lang.reflect.Field;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.salesforce.PubSubApiConsumer;
import org.apache.camel.support.LifecycleStrategySupport;
import org.jboss.logging.Logger;

import com.salesforce.eventbus.protobuf.ReplayPreset;

/**
 * A Salesforce subscription started again in place (a route stopped and started through JMX or Hawtio, leadership
 * coming back) resumes from its replay checkpoint. camel-salesforce keeps the position its route was created with
 * ({{sf-replay:...}} resolved once), so without this every restart republished every event since the process began,
 * or all retained events when it began without a checkpoint (EARLIEST). Camel calls this for a route's consumer right
 * before starting it (registered by SalesforceSetup); it also forgets what the replay window held for the previous
 * subscription.
 */
@ApplicationScoped
public class SubscriptionRestarts extends LifecycleStrategySupport {
    private static final Logger LOG = Logger.getLogger(SubscriptionRestarts.class);

    private final ReplayCheckpoints checkpoints;
    private final ReplayWindow window;

    @Inject
    public SubscriptionRestarts(ReplayCheckpoints checkpoints, ReplayWindow window) {
        this.checkpoints = checkpoints;
        this.window = window;
    }

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (route != null && service instanceof PubSubApiConsumer consumer) {
            window.restart(route.getRouteId());
            String replayId = checkpoints.find(route.getRouteId()).orElse(null);
            if (replayId != null) {
                resumeAfter(consumer, replayId);
                LOG.debugf("Subscription of %s resumes after its checkpoint %s", route.getRouteId(), replayId);
            }
        }
    }

    private static void resumeAfter(PubSubApiConsumer consumer, String replayId) {
        consumer.updateInitialReplayId(replayId);
        // a route created before its first checkpoint keeps the preset EARLIEST in a final field: the replay id above
        // only counts with CUSTOM (the consumer has no setter for it)
        try {
            Field preset = PubSubApiConsumer.class.getDeclaredField("initialReplayPreset");
            preset.setAccessible(true);
            preset.set(consumer, ReplayPreset.CUSTOM);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("camel-salesforce changed: cannot resume " + consumer.getTopic() + " from its checkpoint", e);
        }
    }
}
