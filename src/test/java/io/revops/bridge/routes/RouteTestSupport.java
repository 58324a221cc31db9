package io.revops.bridge.routes;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.revops.bridge.canonical.CanonicalEvents;
import io.revops.bridge.canonical.CloudEvents;
import io.revops.bridge.canonical.ContractChangeKinds;
import io.revops.bridge.mapping.ChangeSetPredicates;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.mapping.MappingComponent;
import io.revops.bridge.mapping.Mappings;
import io.revops.bridge.mapping.Ownership;
import io.revops.bridge.policy.ConsumedEvents;
import io.revops.bridge.policy.DeadLetterStore;
import io.revops.bridge.policy.ParkedEventRechecker;
import io.revops.bridge.policy.ParkedEvents;
import io.revops.bridge.testing.Sql;

/**
 * Route tests (the AdviceWith tier): loads one real route file from routes/ together with the dead-letter route
 * into a plain CamelContext on a fresh H2 database migrated by the real Flyway scripts, with the real mapping,
 * ownership, idempotency and dead-letter beans. Tests replace transports (Kafka, Salesforce) and system adapters.
 */
abstract class RouteTestSupport extends CamelTestSupport {
    /** The wait limit of the route files under test (revops.wait.limit). */
    protected static final String WAIT_LIMIT = "PT5M";

    protected final Json json = new Json();
    protected final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    protected DataSource dataSource;
    protected ParkedEvents parkedEvents;
    /** Offers parked events again when a test calls rechecker.recheck() (the runtime does it on a schedule). */
    protected ParkedEventRechecker rechecker;
    protected DeadLetterStore deadLetterStore;

    /** The route file under test, e.g. "erp-account-sync". */
    protected abstract String routeId();

    /** Adapter doubles and other beans the route needs, by name. */
    protected abstract Map<String, Object> beans();

    /** Where the route files are read from. */
    protected Path routesDir() {
        return Path.of("routes");
    }

    /** Where the mappings are read from. */
    protected Path mappingsDir() {
        return Path.of("mappings");
    }

    /** Replaces the route's transports; the default swaps its consumer for direct:in. */
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        dataSource = h2;
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        Mappings mappings = new Mappings(mappingsDir());
        registry.bind("json", json);
        registry.bind("mappings", mappings);
        registry.bind("mapping", new MappingComponent(mappings, json));
        registry.bind("ownership", new Ownership(mappings, json));
        ChangeSetPredicates changeSets = new ChangeSetPredicates();
        registry.bind("applicableChange", changeSets.applicableChange());
        registry.bind("applicableChangeNotDeletion", changeSets.applicableChangeNotDeletion());
        CanonicalEvents canonicalEvents = new CanonicalEvents();
        registry.bind("canonicalEvents", canonicalEvents);
        registry.bind("cloudEvents", new CloudEvents(json, canonicalEvents));
        registry.bind("contractChangeKinds", new ContractChangeKinds());
        deadLetterStore = new DeadLetterStore(dataSource, json, meters, Duration.ofMillis(100), Duration.ofMillis(400),
                Duration.ofSeconds(30));
        registry.bind("deadLetters", deadLetterStore);
        registry.bind("dataSource", dataSource);
        beans().forEach(registry::bind);
    }

    /** The route files' placeholders, at test pace. */
    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.put("revops.circuit.rechecks", "3");
        properties.put("revops.circuit.recheck-every", "10");
        properties.put("revops.wait.limit", WAIT_LIMIT);
        return properties;
    }

    @Override
    protected void doPostSetup() throws Exception {
        CamelContext camel = context();
        camel.setAllowUseOriginalMessage(true); // as camel.main.allow-use-original-message in application.properties
        camel.addRoutePolicyFactory(new ConsumedEvents()); // Quarkus finds it in the registry
        parkedEvents = new ParkedEvents(dataSource, json, deadLetterStore, meters, Duration.parse(WAIT_LIMIT));
        camel.getRegistry().bind("parkedEvents", parkedEvents);
        rechecker = new ParkedEventRechecker(dataSource, json, camel, 0);
        for (String file : List.of("dead-letter", routeId())) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:" + routesDir().resolve(file + ".camel.yaml")));
        }
        AdviceWith.adviceWith(camel, routeId(), this::advice);
        camel.start();
    }

    /** Sends a canonical event as it arrives from Kafka: JSON value plus CloudEvents binary-mode headers. */
    protected void sendEvent(String id, String type, String source, String subject, Object data) {
        sendEvent(id, type, source, subject, data, "2026-11-22T10:00:00Z");
    }

    /** As {@link #sendEvent(String, String, String, String, Object)}, for an event that happened at {@code time}. */
    protected void sendEvent(String id, String type, String source, String subject, Object data, String time) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", id);
        headers.put("ce_type", type);
        headers.put("ce_source", source);
        headers.put("ce_subject", subject);
        headers.put("ce_time", time);
        headers.put("ce_correlationid", "corr-" + subject);
        template.sendBodyAndHeaders("direct:in", json.write(data), headers);
    }

    protected List<Map<String, Object>> deadLetters() throws SQLException {
        return Sql.rows(dataSource, "SELECT * FROM dead_letter ORDER BY first_failed_at");
    }
}
