package io.revops.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.revops.bridge.ops.DeadLetter;
import io.revops.bridge.ops.DeadLetterFilter;
import io.revops.bridge.ops.DeadLetterRepository;
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
            s.execute("DELETE FROM parked_event");
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
            assertThat(rs.getString("category")).as("the latest failure's").isEqualTo("technical");
            assertThat(rs.getString("reason_code")).isEqualTo("retries-exhausted");
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

    /** Hostile header values: 10,000 characters with NUL, CR/LF, right-to-left marks, control and escape characters. */
    private static String hostile(char filler) {
        String nasty = "a\u0000b\r\nforged: line\u202Eevil\u200F\u0001\u001B[31m\u007F\u2400\u24000\uD83D\uDE00";
        return (nasty + String.valueOf(filler).repeat(10_000)).substring(0, 10_000);
    }

    @Test
    void deadLettersTakeHeadersOfAnyLengthAndContentAndGiveThemBackExactly() throws Exception {
        DeadLetterStore store = new DeadLetterStore(dataSource(), new Json(), new SimpleMeterRegistry());
        String id = hostile('I');
        String subject = hostile('S');
        String type = hostile('T');
        String payload = "{\"data\":\"" + "x".repeat(1_000_000) + "\"}\u0000\u2400";
        Exchange exchange = failed(id, new BusinessException("invalid-event", "invalid-event: /amount: object found, number expected"));
        exchange.getMessage().setHeader("ce_subject", subject);
        exchange.getMessage().setHeader("ce_type", type);
        exchange.getMessage().setHeader("ce_correlationid", subject);
        exchange.getMessage().setBody(payload);

        store.record(exchange);

        DeadLetterRepository repository = new DeadLetterRepository(dataSource(), new Json());
        var page = repository.list(new DeadLetterFilter(null, null, subject, null, null, null), 0, 10);
        assertThat(page.items()).as("found by its whole business key").hasSize(1);
        DeadLetter stored = repository.find(page.items().get(0).id()).orElseThrow();
        assertThat(stored.eventId()).isEqualTo(id);
        assertThat(stored.eventType()).isEqualTo(type);
        assertThat(stored.businessKey()).isEqualTo(subject);
        assertThat(stored.correlationId()).isEqualTo(subject);
        assertThat(stored.payload()).isEqualTo(payload);
        assertThat(stored.headers()).containsEntry("ce_subject", subject).containsEntry("ce_id", id);
        assertThat(stored.reasonCode()).isEqualTo("invalid-event");
        assertThat(stored.exceptionMessage()).isEqualTo("invalid-event: /amount: object found, number expected");
    }

    @Test
    void twoBodiesUnderOneIdAreTwoDeadLettersAndTheSameBodyAgainIsOne() throws Exception {
        DeadLetterStore store = new DeadLetterStore(dataSource(), new Json(), new SimpleMeterRegistry());
        Exchange first = failed("e-twice", new BusinessException("negative-price", "unit price -500 is below 0"));
        Exchange second = failed("e-twice", new BusinessException("invalid-quantity", "quantity 0 is not above 0"));
        second.getMessage().setBody("{\"accountId\":\"other body\"}");
        store.record(first);
        store.record(second);
        store.record(failed("e-twice", new BusinessException("negative-price", "unit price -500 is below 0")));

        List<java.util.Map<String, Object>> rows = io.revops.bridge.testing.Sql.rows(dataSource(),
                "SELECT payload, reason_code, attempts FROM dead_letter WHERE event_id = 'e-twice' ORDER BY reason_code");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("reason_code", "invalid-quantity")
                .containsEntry("payload", "{\"accountId\":\"other body\"}");
        assertThat(rows.get(1)).containsEntry("reason_code", "negative-price")
                .containsEntry("payload", "{\"accountId\":\"001000000000001AAA\"}");
        assertThat(((Number) rows.get(1).get("attempts")).intValue()).isEqualTo(2);
    }

    @Test
    void failuresWithoutAMessageOrFromBadInputAreReadable() throws Exception {
        DeadLetterStore store = new DeadLetterStore(dataSource(), new Json(), new SimpleMeterRegistry());
        store.record(failed("e-npe", new NullPointerException()));
        store.record(failed("e-cast", new RuntimeException("mapping failed",
                new ClassCastException("class java.lang.String cannot be cast to class java.lang.Number"))));
        store.record(failed("e-none", null));

        var rows = io.revops.bridge.testing.Sql.rows(dataSource(),
                "SELECT event_id, category, reason_code, exception_message FROM dead_letter ORDER BY event_id");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("reason_code")).isNotNull();
            assertThat((String) row.get("exception_message")).isNotBlank().doesNotContain("null");
        });
        assertThat(rows).filteredOn(row -> "e-cast".equals(row.get("event_id"))).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("category", "business").containsEntry("reason_code", "invalid-event"));
        assertThat(rows).filteredOn(row -> "e-npe".equals(row.get("event_id"))).singleElement()
                .satisfies(row -> assertThat((String) row.get("exception_message")).startsWith("NullPointerException without a message at "));
    }

    @Test
    void idempotencyKeysOfAnyLengthFitAndAnIdReusedWithOtherContentIsAConflict() throws Exception {
        RouteIdempotentRepository erp = repository("erp-payment-posting");
        String longId = "S".repeat(300);
        String hostileId = hostile('K');
        for (String id : List.of(longId, hostileId)) {
            Exchange event = consumed(id, "{\"amount\":10}");
            assertThat(erp.contains(event, id)).isFalse();
            assertThat(erp.add(event, id)).isTrue();
            assertThat(erp.contains(consumed(id, "{\"amount\":10}"), id)).as("same body: a duplicate").isTrue();
            assertThatThrownBy(() -> erp.contains(consumed(id, "{\"amount\":11}"), id))
                    .isInstanceOfSatisfying(BusinessException.class, conflict -> {
                        assertThat(conflict.reasonCode()).isEqualTo("event-id-conflict");
                        assertThat(conflict.getMessage()).contains(StoredText.sha256("{\"amount\":10}"))
                                .contains(StoredText.sha256("{\"amount\":11}"));
                    });
        }
        assertThat(count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'erp-payment-posting'")).isEqualTo(2);

        Exchange parked = consumed("e-parked", "{}");
        parked.setProperty(ParkedEvents.PARKED, true);
        assertThat(erp.add(parked, "e-parked")).as("a parked event is not applied yet").isFalse();
        assertThat(erp.contains("e-parked")).isFalse();
    }

    @Test
    void parkedEventsWaitPerKeyInArrivalOrder() throws Exception {
        ParkedEvents parked = new ParkedEvents(dataSource(), new Json(),
                new DeadLetterStore(dataSource(), new Json(), new SimpleMeterRegistry()), new SimpleMeterRegistry(), java.time.Duration.ofMinutes(5));
        String longKey = hostile('A');
        parked.park(waiting("a-1", longKey));
        parked.park(waiting("b-1", "order-B"));
        assertThatThrownBy(() -> parked.holdBehindWaiting(waiting("a-2", longKey))).isInstanceOf(WaitingBehindException.class);
        parked.park(behind("a-2", longKey));
        parked.park(waiting("a-1", longKey)); // delivered again while parked: still one row
        Exchange otherBody = waiting("a-1", longKey);
        otherBody.getMessage().setBody("{\"orderNumber\":\"other\"}");
        otherBody.setProperty(ConsumedEvents.CONTENT_HASH, ConsumedEvents.contentHash(otherBody.getMessage().getBody()));
        parked.park(otherBody); // another body under that id: kept, behind
        parked.holdBehindWaiting(waiting("c-1", "order-C")); // nothing parked under C: flows on

        var rows = io.revops.bridge.testing.Sql.rows(dataSource(),
                "SELECT event_id, business_key, last_reason, payload FROM parked_event ORDER BY id");
        assertThat(rows).extracting(row -> row.get("event_id")).containsExactly("a-1", "b-1", "a-2", "a-1");
        assertThat(rows.get(3).get("payload")).isEqualTo("{\"orderNumber\":\"other\"}");
        assertThat(StoredText.unescape((String) rows.get(0).get("business_key"))).isEqualTo(longKey);
        assertThat(rows.get(2).get("last_reason")).isEqualTo("waiting-behind");
    }

    private Exchange waiting(String eventId, String key) {
        Exchange exchange = consumed(eventId, "{\"orderNumber\":\"" + eventId + "\"}");
        exchange.getMessage().setHeader("ce_subject", key);
        exchange.setProperty(ConsumedEvents.SUBJECT, key);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new PrerequisiteMissingException("customer-not-in-erp", "no customer yet"));
        return exchange;
    }

    private Exchange behind(String eventId, String key) {
        Exchange exchange = waiting(eventId, key);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new WaitingBehindException("waits behind 1 earlier event"));
        return exchange;
    }

    /** An exchange as a route sees it after policy.ConsumedEvents captured the event. */
    private Exchange consumed(String eventId, String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getExchangeExtension().setFromRouteId("erp-payment-posting");
        exchange.getMessage().setHeader("ce_id", eventId);
        exchange.getMessage().setBody(body);
        exchange.setProperty(ConsumedEvents.EVENT_ID, eventId);
        exchange.setProperty(ConsumedEvents.CONTENT_HASH, ConsumedEvents.contentHash(body));
        return exchange;
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
