package io.revops.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.revops.bridge.sandbox.KafkaBroker;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;
import io.revops.bridge.testing.EmulatedStack;
import io.revops.bridge.testing.FreePorts;
import io.revops.bridge.testing.PackagedRuntime;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * Two runtime processes (the packaged jar, production profile) on one machine against one Kafka broker, one
 * PostgreSQL database (the conformance tier's, in a schema of its own) and the emulated systems: they share the account flows through Kafka consumer
 * groups, only the elected leader (file lock) holds the Salesforce subscription, and when the leader is killed
 * the other takes the subscription over from the shared checkpoint, with nothing lost and nothing doubled.
 */
class ScaleOutIT {
    private static final Duration SYNC = Duration.ofSeconds(90);
    private static final String TOPIC = "/data/AccountChangeEvent";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path WORK = Path.of("target", "scale-out").toAbsolutePath();
    private static final String SCHEMA = "scale_out"; // apart from the other conformance tests
    private static EmulatedStack systems;
    private static SalesforceEmulator salesforce;
    private static int kafkaPort;
    private static TrytonEmulator tryton;
    private static KillBillEmulator killBill;
    private static final List<Instance> instances = new ArrayList<>();

    record Instance(String name, int httpPort, Process process) {
        JsonNode readiness() {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + (httpPort + 1000) + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                return JSON.readTree(response.body());
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        boolean isLeader() {
            JsonNode ready = readiness();
            if (ready == null) {
                return false;
            }
            for (JsonNode check : ready.path("checks")) {
                if ("leadership".equals(check.path("name").asText())) {
                    return check.path("data").path("leader").asBoolean();
                }
            }
            return false;
        }
    }

    @BeforeAll
    static void startSystemsAndTwoInstances() throws Exception {
        Files.createDirectories(WORK);
        kafkaPort = FreePorts.forKafka();
        new KafkaBroker(kafkaPort, WORK.resolve("kafka")).ensureRunning();
        systems = EmulatedStack.start(WORK, SCHEMA);
        salesforce = systems.salesforce();
        tryton = systems.tryton;
        killBill = systems.killBill;
        instances.add(start("a"));
        instances.add(start("b"));
        for (Instance instance : instances) {
            await().atMost(SYNC).until(() -> instance.readiness() != null && "UP".equals(instance.readiness().path("status").asText()));
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        instances.forEach(i -> i.process().destroy());
        for (Instance instance : instances) {
            instance.process().waitFor();
        }
        if (systems != null) {
            systems.close();
        }
    }

    @Test
    void accountsAreAppliedOnceAndTheSubscriptionMovesWhenTheLeaderDies() throws Exception {
        Instance leader = await().atMost(SYNC).until(() -> instances.stream().filter(Instance::isLeader).toList(),
                leaders -> leaders.size() == 1).get(0);
        Instance standby = instances.stream().filter(i -> i != leader).findFirst().orElseThrow();
        await().atMost(SYNC).until(() -> salesforce.subscriptions(TOPIC) == 1);

        SalesforceRest rep = SandboxSalesforce.login(salesforce.loginUrl());
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            accounts.add(rep.create("Account", Map.of("Name", "Scale " + i, "CurrencyIsoCode", "USD")));
        }
        await().atMost(SYNC).until(() -> accounts.stream().allMatch(id -> parties(id) == 1));

        leader.process().destroyForcibly(); // kill -9: no goodbye to Salesforce, Kafka or the lock
        for (int i = 10; i < 20; i++) {
            accounts.add(rep.create("Account", Map.of("Name", "Scale " + i, "CurrencyIsoCode", "USD")));
        }
        await().atMost(SYNC).until(standby::isLeader);
        await().atMost(SYNC).until(() -> salesforce.subscriptions(TOPIC) == 1);
        await().atMost(SYNC).until(() -> accounts.stream().allMatch(id -> parties(id) == 1 && billingAccounts(id) == 1));

        assertThat(accounts).allSatisfy(id -> {
            assertThat(parties(id)).as("ERP parties of %s", id).isEqualTo(1);
            assertThat(billingAccounts(id)).as("billing accounts of %s", id).isEqualTo(1);
        });
        assertThat(tryton.callCount("model.party.party.create")).as("one ERP create per account").isEqualTo(accounts.size());
    }

    private static Instance start(String name) throws IOException {
        int httpPort = FreePorts.any();
        Map<String, String> env = systems.runtimeEnvironment(httpPort, kafkaPort);
        env.put("REVOPS_LEADER_ELECTION", "file");
        env.put("REVOPS_LEADER_ELECTION_DIR", WORK.resolve("leader").toString());
        env.put("POD_NAME", "instance-" + name);
        return new Instance(name, httpPort, PackagedRuntime.start(env, salesforce, WORK.resolve("instance-" + name + ".log")));
    }

    private static long parties(String key) {
        return tryton.parties().stream().filter(p -> ((List<?>) p.get("identifiers")).contains(key)).count();
    }

    private static long billingAccounts(String key) {
        return killBill.accounts().stream().filter(a -> key.equals(a.get("externalKey"))).count();
    }
}
