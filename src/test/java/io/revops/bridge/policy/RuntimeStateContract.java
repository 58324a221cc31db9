package io.revops.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.salesforce.ReplayCheckpoints;

/**
 * The runtime's own state on a real database, through the real Flyway migrations: idempotency keys, dead
 * letters, replay checkpoints. Runs on H2 (default tier) and on PostgreSQL (conformance tier), because
 * production runs on PostgreSQL and the embedded default on H2.
 */
abstract class RuntimeStateContract {
    protected abstract DataSource dataSource();

    private DefaultCamelContext camel;

    @BeforeEach
    void migrateAndClean() throws Exception {
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM CAMEL_MESSAGEPROCESSED");
            s.execute("DELETE FROM dead_letter");
            s.execute("DELETE FROM salesforce_replay_checkpoint");
        }
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("dataSource", dataSource());
    }

    @Test
    void idempotencyKeysAreScopedByRouteAndUniqueUnderConcurrency() throws Exception {
        RouteIdempotentRepository erp = repository("erp-account-sync");
        RouteIdempotentRepository billing = repository("billing-account-sync");

        assertThat(erp.contains("e-1")).isFalse();
        assertThat(erp.add("e-1")).isTrue();
        assertThat(erp.add("e-1")).isFalse();
        assertThat(erp.contains("e-1")).isTrue();
        assertThat(billing.contains("e-1")).as("another route's key").isFalse();

        List<CompletableFuture<Boolean>> racers = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> erp.add("e-race"))).toList();
        long winners = racers.stream().map(CompletableFuture::join).filter(Boolean::booleanValue).count();
        assertThat(winners).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId = 'e-race'")).isEqualTo(1);

        assertThat(erp.remove("e-1")).isTrue();
        assertThat(erp.contains("e-1")).isFalse();
    }

    @Test
    void deadLettersKeepTheirContextAndASecondFailureReopensTheSameOne() throws Exception {
        DeadLetterStore store = new DeadLetterStore(dataSource(), new Json(), new SimpleMeterRegistry());
        store.record(failed("e-9", new BusinessException("unknown-account", "no such account")));
        store.record(failed("e-9", new TransientFailureException("erp", "HTTP 503")));
        store.record(failed(null, new IllegalStateException("boom")));

        try (Connection c = dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT * FROM dead_letter WHERE event_id = 'e-9'");
                ResultSet rs = s.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("route_id")).isEqualTo("erp-account-sync");
            assertThat(rs.getString("category")).isEqualTo("business");
            assertThat(rs.getString("business_key")).isEqualTo("001000000000001AAA");
            assertThat(rs.getString("correlation_id")).isEqualTo("tx-1");
            assertThat(rs.getString("payload")).isEqualTo("{\"accountId\":\"001000000000001AAA\"}");
            assertThat(rs.getString("headers")).contains("\"ce_id\":\"e-9\"").contains("\"Authorization\":\"***\"")
                    .doesNotContain("s3cr3t");
            assertThat(rs.getInt("attempts")).isEqualTo(2);
            assertThat(rs.getString("exception_type")).endsWith("TransientFailureException");
            assertThat(rs.next()).isFalse();
        }
        assertThat(count("SELECT COUNT(*) FROM dead_letter")).isEqualTo(2);
    }

    @Test
    void replayCheckpointsMoveForward() throws Exception {
        ReplayCheckpoints checkpoints = new ReplayCheckpoints(dataSource());
        assertThat(checkpoints.find("salesforce-account-inbound")).isEmpty();
        checkpoints.save("salesforce-account-inbound", "/data/AccountChangeEvent", "AAAAAAAAAAE=");
        checkpoints.save("salesforce-account-inbound", "/data/AccountChangeEvent", "AAAAAAAAAAI=");
        assertThat(checkpoints.find("salesforce-account-inbound")).contains("AAAAAAAAAAI=");
        assertThat(count("SELECT COUNT(*) FROM salesforce_replay_checkpoint")).isEqualTo(1);
    }

    private RouteIdempotentRepository repository(String routeId) throws Exception {
        RouteIdempotentRepository repository = new RouteIdempotentRepository(routeId);
        repository.setCamelContext(camel);
        repository.start();
        return repository;
    }

    private Exchange failed(String eventId, Exception failure) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody("{\"accountId\":\"001000000000001AAA\"}");
        if (eventId != null) {
            exchange.getMessage().setHeader("ce_id", eventId);
        }
        exchange.getMessage().setHeader("ce_subject", "001000000000001AAA");
        exchange.getMessage().setHeader("ce_correlationid", "tx-1");
        exchange.getMessage().setHeader("Authorization", "Bearer s3cr3t");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        exchange.setProperty(Exchange.FAILURE_ROUTE_ID, "erp-account-sync");
        return exchange;
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
