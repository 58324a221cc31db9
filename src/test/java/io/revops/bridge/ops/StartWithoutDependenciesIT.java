package io.revops.bridge.ops;

import static io.revops.bridge.testing.HealthProbes.check;
import static io.revops.bridge.testing.HealthProbes.health;
import static io.revops.bridge.testing.HealthProbes.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.revops.bridge.sandbox.KafkaBroker;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.testing.EmulatedStack;
import io.revops.bridge.testing.FreePorts;
import io.revops.bridge.testing.PackagedRuntime;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.TcpGate;

/**
 * The packaged runtime (production profile) on a bad day, as a pod sees it: the database, Salesforce and Kafka down
 * when it starts. It must stay up (liveness UP, never an exit: on Kubernetes that is a CrashLoopBackOff), be unready
 * naming each cause, and start its routes by itself as each dependency answers, without a restart. Also: missing
 * credentials end the start at once with one message naming every missing variable, and SIGTERM with Kafka absent
 * ends the process well inside the Deployment's 45 s grace period. Needs PostgreSQL (the conformance tier's).
 */
class StartWithoutDependenciesIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "start-without-dependencies").toAbsolutePath();
    private static final String SCHEMA = "start_without_dependencies";

    private static EmulatedStack systems;
    private static TcpGate database;
    private Process runtime;

    @BeforeAll
    static void startTheSystemsThatStayUp() throws Exception {
        Files.createDirectories(WORK);
        // Salesforce started once so that its certificate exists when the runtime starts (the JVM reads its trust
        // store once), then down until the test brings it up
        systems = EmulatedStack.start(WORK, SCHEMA);
        systems.stopSalesforce();
        URI db = URI.create(EmulatedStack.DB_URL.substring("jdbc:".length()));
        database = new TcpGate(FreePorts.any(), db.getHost(), db.getPort());
    }

    @AfterEach
    void stopTheRuntime() throws Exception {
        if (runtime != null && runtime.isAlive()) {
            runtime.destroyForcibly().waitFor();
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable system : new AutoCloseable[] {systems, database}) {
            if (system != null) {
                system.close();
            }
        }
    }

    @Test
    void withoutDatabaseSalesforceAndKafkaItIsLiveAndUnreadyAndStartsEachRouteWhenItsSystemAnswers() throws Exception {
        database.close(); // down
        int kafkaPort = FreePorts.forKafka();
        Map<String, String> env = environment(kafkaPort);
        int management = Integer.parseInt(env.get("MANAGEMENT_PORT"));
        runtime = PackagedRuntime.start(env, systems.salesforce(), WORK.resolve("runtime-all-down.log"));

        await().atMost(START).until(() -> status(management, "live") == 200);
        JsonNode ready = await().atMost(START).until(() -> health(management, "ready"),
                r -> r != null && check(r, "database-schema").path("data").path("error").asText().contains("refused"));
        assertThat(ready.path("status").asText()).isEqualTo("DOWN");
        assertThat(check(ready, "database-schema").path("status").asText()).isEqualTo("DOWN");
        assertThat(check(ready, "kafka").path("status").asText()).isEqualTo("DOWN");
        assertThat(runtime.isAlive()).as("the process stays up").isTrue();

        // the database answers: the schema is migrated, the Salesforce subscriptions try to log in, with backoff
        database.open();
        await().atMost(START).until(() -> "UP".equals(check(health(management, "ready"), "database-schema").path("status").asText()));
        await().atMost(START).until(() -> check(health(management, "ready"), "routes").path("data").path("salesforce-account-inbound")
                .asText().startsWith("Stopped (starting again with backoff:"));
        assertThat(status(management, "live")).isEqualTo(200);

        SalesforceEmulator salesforce = systems.startSalesforce();
        await().atMost(START).until(() -> "Started".equals(
                check(health(management, "ready"), "routes").path("data").path("salesforce-account-inbound").asText()));
        new KafkaBroker(kafkaPort, WORK.resolve("kafka")).ensureRunning();
        await().atMost(START).until(() -> status(management, "ready") == 200);
        assertThat(check(health(management, "ready"), "routes").path("data").toString()).doesNotContain("Stopped");

        // the routes run: an account created in Salesforce now reaches the ERP
        SalesforceRest rep = SandboxSalesforce.login(salesforce.loginUrl());
        String account = rep.create("Account", Map.of("Name", "Started late", "CurrencyIsoCode", "USD"));
        await().atMost(START).until(() -> systems.tryton.parties().stream()
                .anyMatch(p -> ((List<?>) p.get("identifiers")).contains(account)));
        assertThat(runtime.isAlive()).isTrue();
    }

    @Test
    void sigtermWithKafkaAbsentEndsTheProcessWellInsideTheGracePeriod() throws Exception {
        database.open();
        Map<String, String> env = environment(FreePorts.forKafka()); // nothing listens there: Kafka absent
        int management = Integer.parseInt(env.get("MANAGEMENT_PORT"));
        runtime = PackagedRuntime.start(env, systems.salesforce(), WORK.resolve("runtime-sigterm.log"));
        await().atMost(START).until(() -> status(management, "started") == 200);

        long start = System.nanoTime();
        runtime.destroy(); // SIGTERM, as the kubelet sends it
        assertThat(runtime.waitFor(45, TimeUnit.SECONDS)).as("exited within the grace period").isTrue();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.out.printf("[start-unready] SIGTERM to exit with Kafka absent: %d s, exit code %d%n", seconds, runtime.exitValue());
        assertThat(seconds).as("seconds from SIGTERM to exit").isLessThan(30);
        assertThat(runtime.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
    }

    @Test
    void missingCredentialsEndTheStartWithOneMessageNamingEveryMissingVariable() throws Exception {
        Map<String, String> env = environment(FreePorts.forKafka());
        env.remove("SALESFORCE_PASSWORD");
        env.put("TRYTON_PASSWORD", "");
        env.remove("JOLOKIA_PASSWORD");
        Path log = WORK.resolve("runtime-missing-credentials.log");
        runtime = PackagedRuntime.start(env, systems.salesforce(), log);

        assertThat(runtime.waitFor(90, TimeUnit.SECONDS)).as("the start ends").isTrue();
        assertThat(runtime.exitValue()).isEqualTo(1);
        String output = Files.readString(log);
        assertThat(output).contains("RevOps Bridge cannot start: required credentials missing or empty: "
                + "SALESFORCE_PASSWORD, TRYTON_PASSWORD, JOLOKIA_PASSWORD");
        assertThat(output).doesNotContain("Failed to load config value");
    }

    private Map<String, String> environment(int kafkaPort) throws IOException {
        Map<String, String> env = systems.runtimeEnvironment(FreePorts.any(), kafkaPort);
        env.put("MANAGEMENT_PORT", String.valueOf(FreePorts.any()));
        String url = EmulatedStack.DB_URL;
        env.put("DB_URL", PackagedRuntime.inSchema("jdbc:postgresql://127.0.0.1:" + database.port() + url.substring(url.lastIndexOf('/')), SCHEMA));
        env.put("DATABASE_MIGRATE_RETRY", "PT1S");
        return env;
    }
}
