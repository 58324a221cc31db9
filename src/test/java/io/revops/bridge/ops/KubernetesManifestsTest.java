package io.revops.bridge.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.revops.bridge.testing.Management;

/**
 * The kustomize overlays, rendered offline by kubectl, checked object by object against the Kubernetes API model
 * (fabric8, strict: a field the API does not know fails), and against the runtime: the probes must be paths this
 * runtime serves, the ports the ones it opens in production, every credential a Secret reference, every mounted
 * ConfigMap one the overlay generates.
 */
@QuarkusTest
class KubernetesManifestsTest {
    private static final Pattern CREDENTIAL = Pattern.compile(".*(PASSWORD|SECRET|CLIENT_ID|USERNAME|TOKEN).*");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theOverlayRendersToValidObjectsThatMatchTheRuntime(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);

        assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "ConfigMap",
                "PodDisruptionBudget", "ServiceAccount", "Role", "RoleBinding");
        for (HasMetadata object : objects) {
            assertThat(unknownFields(object, "")).as("%s %s", object.getKind(), object.getMetadata().getName()).isEmpty();
        }
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        Container runtime = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        SmallRyeConfig production = new SmallRyeConfigBuilder().withProfile("prod").addDefaultSources()
                .addDiscoveredSources().build();
        assertThat(runtime.getPorts()).extracting(p -> p.getName(), p -> p.getContainerPort()).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("http", production.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080)),
                org.assertj.core.groups.Tuple.tuple("jolokia", production.getValue("quarkus.camel.jolokia.server.port", Integer.class)),
                org.assertj.core.groups.Tuple.tuple("management", production.getValue("quarkus.management.port", Integer.class)));
        for (Probe probe : List.of(runtime.getStartupProbe(), runtime.getLivenessProbe(), runtime.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
            int status = Management.given().get(probe.getHttpGet().getPath()).then().extract().statusCode();
            assertThat(status).as("the runtime serves %s on its management port", probe.getHttpGet().getPath()).isIn(200, 503);
        }
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/q/metrics")
                .containsEntry("prometheus.io/port", String.valueOf(production.getValue("quarkus.management.port", Integer.class)));
        Management.given().get("/q/metrics").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(404);
        assertThat(production.getOptionalValue("quarkus.swagger-ui.always-include", Boolean.class))
                .as("Swagger UI is not served in production").isNotEqualTo(java.util.Optional.of(true));
        assertThat(production.getValue("quarkus.management.enabled", Boolean.class)).isTrue();

        for (EnvVar env : runtime.getEnv()) {
            if (CREDENTIAL.matcher(env.getName()).matches()) {
                assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
            }
        }
        Set<String> configMaps = Set.copyOf(objects.stream().filter(ConfigMap.class::isInstance)
                .map(o -> o.getMetadata().getName()).toList());
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).allSatisfy(volume ->
                assertThat(configMaps).contains(volume.getConfigMap().getName()));
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(configMaps.stream().filter(n -> n.startsWith("revops-bridge-routes-")).findFirst()
                .map(name -> objects.stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElseThrow())
                .map(o -> ((ConfigMap) o).getData().keySet()).orElseThrow())
                .as("every route file is deployed").containsExactlyInAnyOrderElementsOf(routeFiles());
    }

    private static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
        assumeThat(onPath("kubectl") || Boolean.getBoolean("revops.k8s.required"))
                .as("kubectl (Debian package kubectl) renders the overlays; CI requires it").isTrue();
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
                "k8s/overlays/" + overlay).redirectErrorStream(true).start();
        String rendered = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as(rendered).isZero();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : rendered.split("(?m)^---$")) {
            if (!document.isBlank()) {
                objects.add(Serialization.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    /** Paths of fields the fabric8 model did not recognise (kept in additionalProperties), recursively. */
    private static List<String> unknownFields(Object node, String path) throws Exception {
        return unknownFields(node, path, new IdentityHashMap<>());
    }

    private static List<String> unknownFields(Object node, String path, Map<Object, Boolean> seen) throws Exception {
        List<String> unknown = new ArrayList<>();
        if (node == null || seen.put(node, true) != null) {
            return unknown;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
            }
            return unknown;
        }
        if (node instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                unknown.addAll(unknownFields(entry.getValue(), path + "." + entry.getKey(), seen));
            }
            return unknown;
        }
        if (!(node instanceof KubernetesResource)) {
            return unknown;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value = getter.invoke(node);
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) value).keySet().forEach(field -> unknown.add(path + "." + field));
            } else {
                unknown.addAll(unknownFields(value, path + "." + getter.getName().substring(3), seen));
            }
        }
        return unknown;
    }

    private static List<String> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".camel.yaml")).toList();
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
