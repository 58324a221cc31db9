package io.revops.bridge.ops;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.ExchangeHelper;
import org.jboss.logging.Logger;

import io.revops.bridge.canonical.CloudEvent;
import io.revops.bridge.mapping.ChangeSet;
import io.revops.bridge.policy.DeadLetterStore;

/**
 * Records every hop of every event without a step in any route: when a route publishes a CloudEvent to Kafka
 * ("published"), and how a route that consumed one ended: "applied", "skipped" (nothing the target owns changed),
 * "duplicate" (its idempotent consumer had seen the event), "dead-lettered", or "failed". A lineage write never
 * fails an exchange: lineage is for people, the effect already happened.
 */
@ApplicationScoped
@Named("lineageRecorder") // found by type by Camel, which adds event notifiers from the registry
public class LineageRecorder extends EventNotifierSupport {
    private static final Logger LOG = Logger.getLogger(LineageRecorder.class);

    private final DataSource dataSource;

    @Inject
    public LineageRecorder(DataSource dataSource) {
        this.dataSource = dataSource;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeFailedEvents(false);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSentEvent sent) {
            String uri = sent.getEndpoint().getEndpointUri();
            if (uri.startsWith("kafka:") && header(sent.getExchange(), CloudEvent.ID) != null) {
                record(sent.getExchange(), "published", uri.replaceFirst("\\?.*", ""));
            }
        } else if (event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent) {
            Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
            if (exchange.getFromRouteId() != null && !exchange.getFromRouteId().equals("dead-letter")
                    && (header(exchange, CloudEvent.ID) != null || header(exchange, DeadLetterStore.BUSINESS_KEY_HEADER) != null)) {
                record(exchange, outcome(exchange, event instanceof ExchangeFailedEvent), null);
            }
        }
    }

    private static String outcome(Exchange exchange, boolean failed) {
        if (failed) {
            return "failed";
        }
        if (ExchangeHelper.isFailureHandled(exchange)) {
            return "dead-lettered";
        }
        if (exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
            return "duplicate";
        }
        if (exchange.getMessage().getBody() instanceof ChangeSet changes && !changes.applicable()) {
            return "skipped";
        }
        return "applied";
    }

    private void record(Exchange exchange, String outcome, String detail) {
        String businessKey = header(exchange, CloudEvent.SUBJECT);
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO lineage (id, at, route_id, outcome, event_id,"
                        + " event_type, correlation_id, business_key, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setTimestamp(2, Timestamp.from(Instant.now()));
            insert.setString(3, exchange.getFromRouteId());
            insert.setString(4, outcome);
            insert.setString(5, header(exchange, CloudEvent.ID));
            insert.setString(6, header(exchange, CloudEvent.TYPE));
            insert.setString(7, header(exchange, CloudEvent.CORRELATION_ID));
            insert.setString(8, businessKey != null ? businessKey : header(exchange, DeadLetterStore.BUSINESS_KEY_HEADER));
            insert.setString(9, detail);
            insert.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("Lineage of route %s not recorded: %s", exchange.getFromRouteId(), e.getMessage());
        }
    }

    private static String header(Exchange exchange, String name) {
        Object value = exchange.getMessage().getHeader(name);
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value == null ? null : value.toString();
    }
}
