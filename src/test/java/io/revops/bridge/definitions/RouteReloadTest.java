package io.revops.bridge.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev edit loop on a route of its own: a valid edit replaces the route, a broken one is rejected and the old one runs on. */
class RouteReloadTest extends CamelTestSupport {
    @TempDir
    static Path routes;
    private static Path greeting;
    private RouteReload reload;

    @Override
    protected RoutesBuilder createRouteBuilder() throws Exception {
        greeting = routes.resolve("greeting.camel.yaml");
        write("hello");
        reload = new RouteReload(routes.toString(), "mappings", 50);
        return reload;
    }

    @Override
    protected void doPostSetup() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:" + greeting));
    }

    @Test
    void aValidEditReplacesTheRouteAndABrokenOneIsRejectedWhileTheOldOneRuns() throws Exception {
        assertThat(template.requestBody("direct:greeting", "", String.class)).isEqualTo("hello");

        write("hi");
        await().atMost(Duration.ofSeconds(10)).until(() -> "hi".equals(template.requestBody("direct:greeting", "", String.class)));

        Files.writeString(greeting, Files.readString(greeting).replace("setBody:", "setBdy:"));
        touch();
        RouteReload.Rejection rejection = await().atMost(Duration.ofSeconds(10)).until(() -> reload.rejected().get(greeting),
                r -> r != null);
        assertThat(rejection.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(greeting);
            assertThat(problem.line()).isEqualTo(7);
            assertThat(problem.message()).contains("setBdy");
        });
        assertThat(template.requestBody("direct:greeting", "", String.class)).as("the previous version runs on").isEqualTo("hi");

        // Camel accepts a step without an id; the edit loop does not (Hawtio and stuck exchanges would show "setBody2")
        write("hey");
        Files.writeString(greeting, Files.readString(greeting).replace("            id: greet\n", ""));
        touch();
        await().atMost(Duration.ofSeconds(10)).until(() -> reload.rejected().get(greeting),
                r -> r.problems().toString().contains("step \"setBody\" has no id"));
        assertThat(template.requestBody("direct:greeting", "", String.class)).isEqualTo("hi");
    }

    private static void write(String word) throws Exception {
        Files.writeString(greeting, """
                - route:
                    id: greeting
                    nodePrefixId: greeting.
                    from:
                      uri: direct:greeting
                      steps:
                        - setBody:
                            id: greet
                            constant: %s
                """.formatted(word));
        touch();
    }

    /** File systems with coarse timestamps: make every write a visible change. */
    private static void touch() throws Exception {
        Files.setLastModifiedTime(greeting, FileTime.from(Instant.now().plusSeconds(edits++)));
    }

    private static int edits;
}
