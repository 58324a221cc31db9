package io.revops.bridge.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.revops.bridge.hostile.PoisonCorpus.PoisonEvent;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.ops.DeadLetter;
import io.revops.bridge.ops.DeadLetterRepository;
import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.DeadLetterStore;
import io.revops.bridge.testing.Sql;

/**
 * The poison corpus in the dead-letter store on a real PostgreSQL (conformance tier): every event, stored as the
 * dead letter of the route that consumed it, is read back exactly as it arrived (payload and every header: NUL,
 * RTL and control characters, ids of 10,000 and subjects of 100,000 characters), because a dead letter is what an
 * operator replays. PostgreSQL refuses NUL in text and has no implicit length limit H2 would share, so H2 alone
 * proves nothing here. Connection from -Drevops.db.url, -Drevops.db.user, -Drevops.db.password (.ci/run starts a
 * private cluster), in a schema of its own.
 */
class PoisonCorpusPostgresConformanceIT {
    private static final String SCHEMA = "poison_corpus";
    /** Set on the exchange only, to find each event's dead letter again whatever its id looks like. */
    private static final String CASE_HEADER = "revops-test-poison-case";
    private static final PGSimpleDataSource POSTGRES = new PGSimpleDataSource();
    private static DefaultCamelContext camel;

    @BeforeAll
    static void freshSchema() throws Exception {
        String url = System.getProperty("revops.db.url", "jdbc:postgresql://127.0.0.1:5433/revops");
        POSTGRES.setURL(url);
        POSTGRES.setUser(System.getProperty("revops.db.user", "revops"));
        POSTGRES.setPassword(System.getProperty("revops.db.password", "revops"));
        try (Connection c = POSTGRES.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        POSTGRES.setURL(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
        Flyway.configure().dataSource(POSTGRES).schemas(SCHEMA).locations("classpath:db/migration").load().migrate();
        camel = new DefaultCamelContext();
        camel.setAllowUseOriginalMessage(true);
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    @Test
    void everyCorpusEventIsStoredAsADeadLetterAndReadBackExactly() throws Exception {
        List<PoisonEvent> corpus = PoisonCorpus.generate(PoisonCorpus.SEED,
                new PoisonCorpus.Context(List.of("001000000000001AAA", "001000000000002AAA"), "KB-1"));
        DeadLetterStore store = new DeadLetterStore(POSTGRES, new Json(), new SimpleMeterRegistry());
        List<String> refused = new ArrayList<>();
        for (PoisonEvent event : corpus) {
            try {
                store.record(failedInItsRoute(event));
            } catch (Exception e) {
                refused.add(event + ": " + abbreviate(e.toString()));
            }
        }

        DeadLetterRepository repository = new DeadLetterRepository(POSTGRES, new Json());
        Map<String, DeadLetter> byCase = new HashMap<>();
        for (Map<String, Object> row : Sql.rows(POSTGRES, "SELECT id FROM dead_letter")) {
            DeadLetter deadLetter = repository.find((String) row.get("id")).orElseThrow();
            byCase.put(deadLetter.headers().get(CASE_HEADER), deadLetter);
        }
        List<String> different = new ArrayList<>();
        for (PoisonEvent event : corpus) {
            DeadLetter deadLetter = byCase.get(String.valueOf(event.number()));
            if (deadLetter == null) {
                different.add(event + ": no dead letter of its own (or its headers were not read back)");
                continue;
            }
            if (!java.util.Objects.equals(deadLetter.payload(), event.payload())) {
                different.add(event + ": payload " + abbreviate(deadLetter.payload()) + " instead of " + abbreviate(event.payload()));
            }
            for (PoisonCorpus.Header header : event.headers()) {
                String stored = deadLetter.headers().get(header.name());
                if (header.value() != null && !header.text().equals(stored)) {
                    different.add(event + ": header " + header.name() + " " + abbreviate(stored) + " instead of "
                            + abbreviate(header.text()));
                }
            }
            if (deadLetter.reasonCode() == null || deadLetter.exceptionMessage() == null) {
                different.add(event + ": reason " + deadLetter.reasonCode() + ", message " + deadLetter.exceptionMessage());
            }
        }
        assertThat(refused).as("%d dead letters PostgreSQL refused:%n%s", refused.size(), String.join("\n", refused)).isEmpty();
        assertThat(different).as("%d differences, e.g.%n%s", different.size(),
                String.join("\n", different.subList(0, Math.min(40, different.size())))).isEmpty();
    }

    /** The exchange as the Kafka consumer hands it to the route (string headers and value), failed there. */
    private static Exchange failedInItsRoute(PoisonEvent event) {
        Exchange exchange = new DefaultExchange(camel);
        for (PoisonCorpus.Header header : event.headers()) {
            exchange.getMessage().setHeader(header.name(), header.text());
        }
        exchange.getMessage().setHeader(KafkaConstants.KEY, event.key());
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, event.topic());
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, 0);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, (long) event.number());
        exchange.getMessage().setHeader(CASE_HEADER, String.valueOf(event.number()));
        exchange.getMessage().setBody(event.payload());
        String reason = event.reasons().stream().sorted().findFirst().orElse(PoisonCorpus.INVALID_EVENT);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new BusinessException(reason, reason + ": " + event.defect()));
        exchange.setProperty(Exchange.FAILURE_ROUTE_ID, event.routes().get(0));
        return exchange;
    }

    private static String abbreviate(Object text) {
        String s = String.valueOf(text).replace("\u0000", "\\0");
        return s.length() <= 200 ? s : s.substring(0, 200) + "...(" + s.length() + " chars)";
    }
}
