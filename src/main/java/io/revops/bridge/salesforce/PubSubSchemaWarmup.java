package io.revops.bridge.salesforce;

import java.lang.reflect.Field;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Consumer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.RouteStartedEvent;
import org.apache.camel.component.salesforce.PubSubApiConsumer;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.apache.camel.component.salesforce.internal.client.PubSubApiClient;
import org.apache.camel.support.EventNotifierSupport;
import org.jboss.logging.Logger;

import io.grpc.StatusRuntimeException;

/**
 * Fetches the Avro schema of a Pub/Sub subscription's topic as soon as its route starts, while the session is fresh.
 *
 * Why: camel-salesforce (4.17) fetches a schema the first time an event carries its id, with the session's token, and
 * if that GetSchema call fails (the session expired since login: UNAUTHENTICATED) it only logs the error, moves its
 * replay cursor past the event and never logs in again, so the event is lost. A subscription that starts with its
 * topic's schema in the client's cache never makes that call; an expired session then shows on the stream itself
 * (the auth error), which the client answers with a new login and a resubscription from its last replay id. A schema
 * that changes while the runtime runs (a field added to the org) still takes that call once.
 */
@ApplicationScoped
@Named("pubSubSchemaWarmup") // found by type by Camel, which adds event notifiers from the registry
public class PubSubSchemaWarmup extends EventNotifierSupport {
    private static final Logger LOG = Logger.getLogger(PubSubSchemaWarmup.class);

    public PubSubSchemaWarmup() {
        setIgnoreCamelContextEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof RouteStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Consumer consumer = ((RouteStartedEvent) event).getRoute().getConsumer();
        if (!(consumer instanceof PubSubApiConsumer subscription)) {
            return;
        }
        try {
            PubSubApiClient client = client(subscription);
            try {
                cacheSchema(client, subscription);
            } catch (StatusRuntimeException e) {
                // a route started long after the login (leadership gained later) may hold an expired session
                SalesforceSession session = ((SalesforceEndpoint) subscription.getEndpoint()).getComponent().getSession();
                session.login(session.getAccessToken());
                cacheSchema(client, subscription);
            }
        } catch (ReflectiveOperationException | SalesforceException | RuntimeException e) {
            // the subscription still works; only the first event after an expiry may meet the gap described above
            LOG.warnf("Could not fetch the schema of %s ahead of its first event: %s", subscription.getTopic(), e.toString());
        }
    }

    private static void cacheSchema(PubSubApiClient client, PubSubApiConsumer subscription) {
        client.getSchema(client.getTopicInfo(subscription.getTopic()).getSchemaId()); // kept in the client's cache
    }

    /** The consumer's own client (its schema cache); camel-salesforce offers no accessor. */
    private static PubSubApiClient client(PubSubApiConsumer subscription) throws ReflectiveOperationException {
        Field field = PubSubApiConsumer.class.getDeclaredField("pubSubClient");
        field.setAccessible(true);
        return (PubSubApiClient) field.get(subscription);
    }
}
