package io.revops.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.revops.bridge.sandbox.KafkaBroker;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.testing.EmulatedStack;
import io.revops.bridge.testing.FreePorts;
import io.revops.bridge.testing.PackagedRuntime;

/**
 * REVOPS_LEADER_ELECTION=kubernetes against an API server that speaks Leases (fabric8's mock in CRUD mode): two
 * packaged runtimes, one holds the Lease and the Salesforce subscription; when it stops, the Lease and the
 * subscription move to the other. The requests the API server saw are the verbs the client uses, and the Role in
 * k8s/base grants exactly those.
 */
class KubernetesLeaseIT {
    private static final Duration ELECTION = Duration.ofSeconds(120);
    private static final String NAMESPACE = "revops";
    private static final String TEST_AGENT = "revops-lease-test";
    private static final String TOPIC = "/data/AccountChangeEvent";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path WORK = Path.of("target", "kubernetes-lease").toAbsolutePath();
    private static final String SCHEMA = "kubernetes_lease";

    private static KubernetesMockServer apiServer;
    private static NamespacedKubernetesClient kubernetes;
    private static EmulatedStack systems;
    private static SalesforceEmulator salesforce;
    private static int kafkaPort;
    private static final Map<String, Integer> managementPorts = new HashMap<>();
    private static final Map<String, Process> instances = new HashMap<>();

    @BeforeAll
    static void startTheApiServerTheSystemsAndTwoInstances() throws Exception {
        Files.createDirectories(WORK);
        apiServer = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        apiServer.init(InetAddress.getLoopbackAddress(), FreePorts.any());
        // the test's own requests carry their own User-Agent: they are not the runtime's verbs
        kubernetes = apiServer.createClient(builder -> builder.editOrNewConfig().withUserAgent(TEST_AGENT).endConfig());
        for (String pod : List.of("instance-a", "instance-b")) {
            kubernetes.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withNamespace(NAMESPACE).addToLabels("app", "revops-bridge").endMetadata()
                    // Camel counts running, ready pods as the members that may hold the Lease
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .endStatus().build()).create();
        }
        kafkaPort = FreePorts.forKafka();
        new KafkaBroker(kafkaPort, WORK.resolve("kafka")).ensureRunning();
        systems = EmulatedStack.start(WORK, SCHEMA);
        salesforce = systems.salesforce();
        for (String pod : List.of("instance-a", "instance-b")) {
            start(pod);
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (Process process : instances.values()) {
            process.destroyForcibly().waitFor();
        }
        for (AutoCloseable system : new AutoCloseable[] {systems, kubernetes}) {
            if (system != null) {
                system.close();
            }
        }
        if (apiServer != null) {
            apiServer.destroy();
        }
    }

    @Test
    void oneInstanceHoldsTheLeaseAndTheSubscriptionAndBothMoveWhenItStops() throws Exception {
        String leader = await().atMost(ELECTION).until(KubernetesLeaseIT::leaseHolder, holder -> holder != null && isLeader(holder));
        String standby = leader.equals("instance-a") ? "instance-b" : "instance-a";
        await().atMost(ELECTION).until(() -> salesforce.subscriptions(TOPIC) == 1);
        assertThat(isLeader(standby)).as("the standby does not lead").isFalse();

        Process stopped = instances.get(leader);
        stopped.destroy(); // SIGTERM, as at a rolling update
        assertThat(stopped.waitFor(45, TimeUnit.SECONDS)).isTrue();
        kubernetes.pods().inNamespace(NAMESPACE).withName(leader).delete(); // as the kubelet would

        await().atMost(ELECTION).until(() -> standby.equals(leaseHolder()) && isLeader(standby));
        await().atMost(ELECTION).until(() -> salesforce.subscriptions(TOPIC) == 1);
        assertThat(isLeader(standby)).isTrue();

        assertThat(verbsUsed()).as("verbs the runtime used (by resource) = the Role's in k8s/base").isEqualTo(verbsGranted());
    }

    private static String leaseHolder() {
        List<Lease> leases = kubernetes.leases().inNamespace(NAMESPACE).list().getItems();
        return leases.isEmpty() ? null : leases.get(0).getSpec().getHolderIdentity();
    }

    /** RBAC verbs per resource from the requests the API server recorded (GET with a name = get, without = list ...). */
    private static Map<String, Set<String>> verbsUsed() throws InterruptedException {
        Map<String, Set<String>> verbs = new TreeMap<>();
        RecordedRequest request;
        while ((request = apiServer.takeRequest(0, TimeUnit.SECONDS)) != null) {
            if (TEST_AGENT.equals(request.getHeader("User-Agent"))) {
                continue;
            }
            String path = URI.create(request.getPath()).getPath();
            String query = URI.create(request.getPath()).getQuery();
            String[] parts = path.split("/");
            int namespaces = List.of(parts).indexOf("namespaces");
            if (namespaces < 0 || parts.length <= namespaces + 2) {
                continue; // discovery (/version, /api, /apis): every authenticated client may read it
            }
            String group = parts[1].equals("api") ? "" : parts[2];
            String resource = parts[namespaces + 2];
            boolean named = parts.length > namespaces + 3;
            String verb = switch (request.getMethod()) {
                case "GET" -> query != null && query.contains("watch=true") ? "watch" : named ? "get" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> named ? "delete" : "deletecollection";
                default -> request.getMethod();
            };
            verbs.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).add(verb);
        }
        return verbs;
    }

    private static Map<String, Set<String>> verbsGranted() throws IOException {
        Map<String, Set<String>> verbs = new TreeMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (JsonNode document : yaml.readValues(yaml.getFactory().createParser(
                Path.of("k8s", "base", "leader-election-rbac.yaml").toFile()), JsonNode.class).readAll()) {
            if (!"Role".equals(document.path("kind").asText())) {
                continue;
            }
            for (JsonNode rule : document.path("rules")) {
                for (JsonNode group : rule.path("apiGroups")) {
                    for (JsonNode resource : rule.path("resources")) {
                        Set<String> granted = verbs.computeIfAbsent(group.asText() + "/" + resource.asText(), k -> new TreeSet<>());
                        rule.path("verbs").forEach(verb -> granted.add(verb.asText()));
                    }
                }
            }
        }
        return verbs;
    }

    private static boolean isLeader(String pod) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + managementPorts.get(pod) + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
                if ("leadership".equals(check.path("name").asText())) {
                    return check.path("data").path("leader").asBoolean();
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void start(String pod) throws IOException {
        Map<String, String> env = systems.runtimeEnvironment(FreePorts.any(), kafkaPort);
        int management = FreePorts.any();
        env.put("MANAGEMENT_PORT", String.valueOf(management));
        env.put("REVOPS_LEADER_ELECTION", "kubernetes");
        env.put("POD_NAME", pod);
        // what a pod finds in its environment and service account, here pointing at the mock API server
        env.put("KUBERNETES_MASTER", apiServer.url("/"));
        env.put("KUBERNETES_NAMESPACE", NAMESPACE);
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        managementPorts.put(pod, management);
        instances.put(pod, PackagedRuntime.start(env, salesforce, WORK.resolve(pod + ".log")));
    }
}
