package io.revops.bridge.hostile;

import static io.revops.bridge.hostile.PoisonCorpus.ROUTES_BY_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.revops.bridge.billing.KillBillTenants;
import io.revops.bridge.hostile.PoisonCorpus.PoisonEvent;
import io.revops.bridge.sandbox.KafkaBroker;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.PackagedRuntime;
import io.revops.bridge.testing.RawKafka.Sent;
import io.revops.bridge.testing.RawKafka;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * The poison corpus against the packaged runtime (production profile) on a real PostgreSQL (conformance tier, a
 * schema of its own), a real Kafka broker and the emulated systems, between accounts created in Salesforce: every
 * consumer group catches up, every poison event is a readable business dead letter on PostgreSQL (or skipped by a
 * route it is not for), no poison event reaches a target system, and each good account is applied once. Where
 * {@link PoisonCorpusPostgresConformanceIT} proves the store, this proves the runtime that feeds it.
 */
class PoisonCorpusRuntimePostgresIT {
    private static final Duration SETTLE = Duration.ofSeconds(150);
    private static final Path WORK = Path.of("target", "poison-runtime").toAbsolutePath();
    private static final String SCHEMA = "poison_runtime";
    private static final String DB_URL = System.getProperty("revops.db.url", "jdbc:postgresql://127.0.0.1:5433/revops");
    private static final int KAFKA_PORT = 24192;
    private static final int HTTP_PORT = 23281;
    private static final PGSimpleDataSource POSTGRES = new PGSimpleDataSource();
    private static SalesforceEmulator salesforce;
    private static TrytonEmulator tryton;
    private static KillBillEmulator killBill;
    private static Process runtime;

    @BeforeAll
    static void startSystemsAndTheRuntime() throws Exception {
        Files.createDirectories(WORK);
        new KafkaBroker(KAFKA_PORT, WORK.resolve("kafka")).ensureRunning();
        POSTGRES.setURL(DB_URL);
        POSTGRES.setUser(System.getProperty("revops.db.user", "revops"));
        POSTGRES.setPassword(System.getProperty("revops.db.password", "revops"));
        try (Connection c = POSTGRES.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        POSTGRES.setURL(PackagedRuntime.inSchema(DB_URL, SCHEMA));
        salesforce = new SalesforceEmulator(23543, 22543, WORK.resolve("salesforce"));
        salesforce.start();
        tryton = new TrytonEmulator(23100, "tryton");
        tryton.start();
        killBill = new KillBillEmulator(23180);
        killBill.start();
        KillBillTenants.ensureTenant(killBill.baseUrl(), "admin", "password", "revops", "revops-api-secret-for-poison");
        runtime = start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (runtime != null) {
            runtime.destroy();
            runtime.waitFor();
        }
        for (AutoCloseable system : new AutoCloseable[] {salesforce, tryton, killBill}) {
            if (system != null) {
                system.close();
            }
        }
    }

    @Test
    void theRuntimeOnPostgresDeadLettersEveryPoisonEventAndAppliesEveryAccountOnce() throws Exception {
        SalesforceRest rep = SandboxSalesforce.login(salesforce.loginUrl());
        List<String> accounts = new ArrayList<>();
        accounts.add(rep.create("Account", Map.of("Name", "Antidote One", "CurrencyIsoCode", "USD")));
        accounts.add(rep.create("Account", Map.of("Name", "Antidote Two", "CurrencyIsoCode", "USD")));
        List<PoisonEvent> corpus = PoisonCorpus.generate(PoisonCorpus.SEED,
                new PoisonCorpus.Context(List.copyOf(accounts), "KB-1"));
        Map<PoisonEvent, Sent> sent = new HashMap<>();
        try (RawKafka kafka = new RawKafka("127.0.0.1:" + KAFKA_PORT)) {
            int half = corpus.size() / 2;
            corpus.subList(0, half).forEach(e -> kafka.send(e.toRecord()));
            accounts.add(rep.create("Account", Map.of("Name", "Antidote Three", "CurrencyIsoCode", "USD")));
            corpus.subList(half, corpus.size()).forEach(e -> kafka.send(e.toRecord()));
            accounts.add(rep.create("Account", Map.of("Name", "Antidote Four", "CurrencyIsoCode", "USD")));
            List<Sent> places = kafka.flush();
            for (int i = 0; i < corpus.size(); i++) {
                sent.put(corpus.get(i), places.get(i));
            }
        }

        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String account : accounts) {
                assertThat(parties(account)).as("ERP parties of %s", account).isEqualTo(1);
                assertThat(billingAccounts(account)).as("billing accounts of %s", account).isEqualTo(1);
            }
            for (Map.Entry<String, List<String>> topic : ROUTES_BY_TOPIC.entrySet()) {
                for (String group : topic.getValue()) {
                    assertThat(new KafkaTopic("127.0.0.1:" + KAFKA_PORT, topic.getKey()).lag(group))
                            .as("lag of %s on %s", group, topic.getKey()).isZero();
                }
            }
        });
        PoisonOutcomes.noEffectIn(tryton, killBill, salesforce);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> PoisonOutcomes.everyEventIsAReadableDeadLetterOrSkipped(POSTGRES, corpus, sent));
        assertThat(runtime.isAlive()).as("the runtime survived the corpus").isTrue();
    }

    private static Process start() throws IOException {
        Map<String, String> env = PackagedRuntime.environment(HTTP_PORT, HTTP_PORT + 500, salesforce, 22543, tryton, killBill);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + KAFKA_PORT);
        env.put("DB_URL", PackagedRuntime.inSchema(DB_URL, SCHEMA));
        env.put("DB_USER", POSTGRES.getUser());
        env.put("DB_PASSWORD", POSTGRES.getPassword());
        env.put("KILLBILL_API_SECRET", "revops-api-secret-for-poison");
        env.put("CONSUMER_LAG_PERIOD_MS", "1000");
        return PackagedRuntime.start(env, salesforce, WORK.resolve("runtime.log"));
    }

    private static long parties(String key) {
        return tryton.parties().stream().filter(p -> ((List<?>) p.get("identifiers")).contains(key)).count();
    }

    private static long billingAccounts(String key) {
        return killBill.accounts().stream().filter(a -> key.equals(a.get("externalKey"))).count();
    }
}
