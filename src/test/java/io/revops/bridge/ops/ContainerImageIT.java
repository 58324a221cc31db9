package io.revops.bridge.ops;

import static io.revops.bridge.testing.HealthProbes.check;
import static io.revops.bridge.testing.HealthProbes.health;
import static io.revops.bridge.testing.HealthProbes.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.revops.bridge.sandbox.KafkaBroker;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;
import io.revops.bridge.testing.EmulatedStack;
import io.revops.bridge.testing.FreePorts;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * The container image (src/main/image/build-image.sh) run by podman as Kubernetes would run it: user from the image,
 * every capability dropped, the Deployment's 512 MiB limit, configured by environment only, in the network namespace
 * this test runs in, where PostgreSQL, Kafka and the emulators listen on 127.0.0.1. Run by src/main/image/check-image.sh
 * (.ci/run's image stage), which makes a namespace of its own, starts PostgreSQL in it and runs this test there.
 */
@EnabledIfSystemProperty(named = "revops.image.tar", matches = ".+")
class ContainerImageIT {
    private static final Duration START = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "container-image").toAbsolutePath();
    private static final Path IMAGE_TAR = Path.of(System.getProperty("revops.image.tar", "none"));
    private static final String IMAGE = System.getProperty("revops.image.name", "revops-bridge:dev");
    /** Short on purpose (check-image.sh makes it under /tmp): podman refuses a runroot longer than 50 characters. */
    private static final Path RUNROOT = Path.of(System.getProperty("revops.image.podman-runroot", "/tmp/revops-podman"));
    private static final String SCHEMA = "container_image";
    private static final String TRUST_STORE = "/etc/revops/salesforce-trust.p12";

    private static TrytonEmulator tryton;
    private static KillBillEmulator killBill;
    private static SalesforceEmulator salesforce;
    private static EmulatedStack systems;
    private static int kafkaPort;

    @BeforeAll
    static void loadTheImageAndStartTheSystems() throws Exception {
        Files.createDirectories(WORK);
        podman("load", "-q", "-i", IMAGE_TAR.toString());
        systems = EmulatedStack.start(WORK, SCHEMA);
        salesforce = systems.salesforce();
        tryton = systems.tryton;
        killBill = systems.killBill;
        kafkaPort = FreePorts.forKafka();
    }

    @AfterAll
    static void stopEverything() {
        if (systems != null) {
            systems.close();
        }
    }

    @Test
    void theImageRunsAsUser185IsUnreadyWithoutKafkaThenSyncsAndCarriesTheRepositorysRoutesAndMappings() throws Exception {
        String container = "revops-image-check";
        int management = FreePorts.any();
        run(container, management, List.of());
        try {
            await().atMost(START).until(() -> status(management, "live") == 200);
            await().atMost(START).until(() -> status(management, "started") == 200);
            assertThat(podman("exec", container, "id", "-u").trim()).isEqualTo("185");
            assertThat(podman("exec", container, "sh", "-c", "grep '^Uid:' /proc/1/status")).contains("185");

            // Kafka absent: unready, naming it
            JsonNode ready = health(management, "ready");
            assertThat(ready.path("status").asText()).isEqualTo("DOWN");
            assertThat(check(ready, "kafka").path("status").asText()).isEqualTo("DOWN");

            new KafkaBroker(kafkaPort, WORK.resolve("kafka")).ensureRunning();
            await().atMost(START).until(() -> status(management, "ready") == 200);
            System.out.printf("[image] idle RSS %s%n", rss(container));

            // the image's routes and mappings are the repository's, byte for byte (golden cases, *.cases files and directories, stay out)
            assertThat(imageFiles(container)).isEqualTo(repositoryFiles());

            // loaded: accounts created in Salesforce reach the ERP and billing through the container
            SalesforceRest rep = SandboxSalesforce.login(salesforce.loginUrl());
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                accounts.add(rep.create("Account", Map.of("Name", "Image load " + i, "CurrencyIsoCode", "USD")));
            }
            await().atMost(START).until(() -> accounts.stream().allMatch(id -> tryton.parties().stream()
                    .anyMatch(p -> ((List<?>) p.get("identifiers")).contains(id))));
            System.out.printf("[image] loaded RSS %s after %d accounts%n", rss(container), accounts.size());
        } finally {
            Files.writeString(WORK.resolve(container + ".log"), podman("logs", container));
            podman("rm", "-f", "-t", "45", container);
        }
    }

    @Test
    void aRouteDirectoryMountedOverTheDefaultsReplacesThem() throws Exception {
        Path configMap = WORK.resolve("routes-config-map");
        Files.createDirectories(configMap);
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.filter(p -> !p.getFileName().toString().equals("erp-order-sync.camel.yaml")).toList()) {
                Files.copy(route, configMap.resolve(route.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String container = "revops-image-config-map";
        int management = FreePorts.any();
        run(container, management, List.of("-v", configMap + ":/deployments/routes:ro,Z"));
        try {
            await().atMost(START).until(() -> status(management, "started") == 200);
            JsonNode routes = check(health(management, "ready"), "routes").path("data");
            assertThat(routes.has("erp-account-sync")).as("a route of the mounted directory").isTrue();
            assertThat(routes.has("erp-order-sync")).as("the image's own copy of a route not mounted").isFalse();
        } finally {
            Files.writeString(WORK.resolve(container + ".log"), podman("logs", container));
            podman("rm", "-f", "-t", "45", container);
        }
    }

    private static void run(String name, int management, List<String> extra) throws Exception {
        podman("rm", "-f", name);
        Path envFile = WORK.resolve(name + ".env");
        Map<String, String> env = systems.runtimeEnvironment(FreePorts.any(), kafkaPort);
        env.put("MANAGEMENT_PORT", String.valueOf(management));
        env.put("REVOPS_ROUTES_DIR", "/deployments/routes");
        env.put("REVOPS_MAPPINGS_DIR", "/deployments/mappings");
        // the emulated Pub/Sub API's certificate, as a site would add its own CA
        env.put("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + TRUST_STORE + " -Djavax.net.ssl.trustStorePassword="
                + salesforce.trustStorePassword() + " -Djavax.net.ssl.trustStoreType=PKCS12");
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(env).forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
        Files.writeString(envFile, lines);
        salesforce.trustStore().toFile().setReadable(true, false);
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name,
                "--network", "host", // the test's own network namespace (check-image.sh), not the machine's
                "--cap-drop=ALL", "--security-opt", "no-new-privileges", "--memory", "512m",
                "--ulimit", "nofile=16384:16384", "--ulimit", "nproc=8192:8192",
                "-v", salesforce.trustStore().toAbsolutePath() + ":" + TRUST_STORE + ":ro",
                "--env-file", envFile.toString()));
        command.addAll(extra);
        command.add(IMAGE);
        podman(command.toArray(String[]::new));
    }

    private static Map<String, String> imageFiles(String container) throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (String line : podman("exec", container, "sh", "-c",
                "cd /deployments && find routes mappings -type f -exec sha256sum {} +").split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+", 2);
                files.put(parts[1], parts[0]);
            }
        }
        return files;
    }

    private static Map<String, String> repositoryFiles() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (String dir : List.of("routes", "mappings")) {
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                for (Path file : walk.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".cases")).toList()) {
                    files.put(file.toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
                }
            }
        }
        return files;
    }

    private static String rss(String container) throws Exception {
        return podman("exec", container, "sh", "-c", "grep VmRSS /proc/1/status").replaceAll("\\s+", " ").trim();
    }

    /** podman as root with its own storage under target/ and runc (crun refuses this host's hybrid cgroup layout). */
    private static String podman(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--root", WORK.resolve("podman/root").toString(),
                "--runroot", RUNROOT.toString(), "--runtime", "runc"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0 && !"rm".equals(args[0])) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " exited " + exit + ": " + output);
        }
        return output;
    }
}
