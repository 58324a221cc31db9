package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.definitions.NewRoute;
import io.revops.bridge.definitions.Validate;

/** The scaffold writes a flow that validates and runs as generated: its golden case is what the route does. */
class NewRouteTest extends RouteTestSupport {
    private static final Path WORK = copyOfTheRepository();
    private static final NewRoute.Scaffold SCAFFOLD = scaffold();

    @Override
    protected String routeId() {
        return "erp-credit-sync";
    }

    @Override
    protected Path routesDir() {
        return WORK.resolve("routes");
    }

    @Override
    protected Path mappingsDir() {
        return WORK.resolve("mappings");
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of();
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveById("log-hop").after().to("mock:target");
    }

    @Test
    void theGeneratedFilesValidate() throws IOException {
        assertThat(SCAFFOLD.route()).exists();
        assertThat(Validate.run(routesDir(), mappingsDir())).isEmpty();
    }

    @Test
    void theGeneratedRouteMapsAnEventOnceAsItsGoldenCaseSays() throws Exception {
        JsonNode goldenCase = json.mapper().readTree(SCAFFOLD.goldenCase().toFile());
        MockEndpoint target = getMockEndpoint("mock:target");
        target.expectedMessageCount(1);

        Object invoice = json.mapper().convertValue(goldenCase.get("input"), Object.class);
        sendEvent("e-1", "revops.invoice.issued.v1", "/billing/killbill/invoice", "KB-1", invoice);
        sendEvent("e-1", "revops.invoice.issued.v1", "/billing/killbill/invoice", "KB-1", invoice);
        sendEvent("e-2", "revops.invoice.updated.v1", "/erp/tryton/invoice", "KB-1", invoice); // not for this route

        target.assertIsSatisfied();
        assertThat(json.mapper().valueToTree(target.getExchanges().get(0).getMessage().getBody()).equals(goldenCase.get("expected")))
                .as("mapped body equals the golden case").isTrue();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aNameOrSourceItCannotScaffoldIsRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> NewRoute.write(routesDir(), mappingsDir(), "CreditSync", "kafka:revops.invoice.v1", null))
                .hasMessageStartingWith("-Dname=<system>-<what> in kebab-case");
        assertThatThrownBy(() -> NewRoute.write(routesDir(), mappingsDir(), "erp-x", "timer:tick", null))
                .hasMessageStartingWith("-Dfrom=kafka:revops.");
        // the type lands in the route's filter expression: only a plain event type of that topic
        assertThatThrownBy(() -> NewRoute.write(routesDir(), mappingsDir(), "erp-y", "kafka:revops.invoice.v1",
                "revops.invoice.issued.v1' || true || '")).hasMessageStartingWith("-Dtype must be an event type of revops.invoice.v1");
        assertThatThrownBy(() -> NewRoute.write(routesDir(), mappingsDir(), "erp-credit-sync", "kafka:revops.invoice.v1", null))
                .hasMessageEndingWith("exists already: choose another -Dname");
    }

    private static NewRoute.Scaffold scaffold() {
        try {
            return NewRoute.write(WORK.resolve("routes"), WORK.resolve("mappings"), "erp-credit-sync", "kafka:revops.invoice.v1",
                    "revops.invoice.issued.v1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyOfTheRepository() {
        try {
            Path work = Files.createTempDirectory("new-route");
            for (String dir : new String[] {"routes", "mappings"}) {
                try (Stream<Path> files = Files.walk(Path.of(dir))) {
                    for (Path source : files.toList()) {
                        Path target = work.resolve(source.toString());
                        if (Files.isDirectory(source)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(source, target);
                        }
                    }
                }
            }
            return work;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
