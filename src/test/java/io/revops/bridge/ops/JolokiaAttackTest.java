package io.revops.bridge.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.revops.bridge.testing.Sql;

/**
 * Jolokia as an attacker uses it, over real HTTP: without or with wrong credentials; with the read-only credential
 * trying everything that sends messages, creates endpoints, changes routes or reads the JVM's secrets; with the
 * operator credential, which may stop and start a route (audited) but nothing more; and from an evil origin.
 */
@QuarkusTest
class JolokiaAttackTest {
    private static final String JOLOKIA = "http://127.0.0.1:" + ConfigProvider.getConfig()
            .getValue("quarkus.camel.jolokia.server.port", Integer.class) + "/jolokia/";
    private static final String CONTEXT = "org.apache.camel:context=revops-bridge,type=context,name=\"revops-bridge\"";
    private static final String ROUTE = "billing-account-sync";
    private static final String ROUTE_MBEAN = "org.apache.camel:context=revops-bridge,type=routes,name=\"" + ROUTE + "\"";
    private static final String SECRET = "jolokia-attack-sentinel-31415";

    @Inject
    CamelContext camel;
    @Inject
    DataSource dataSource;

    @Test
    void noOrWrongCredentialsGetNothing() {
        Map<String, Object> read = Map.of("type", "read", "mbean", ROUTE_MBEAN, "attribute", "State");
        given().contentType(ContentType.JSON).body(read).post(JOLOKIA).then().statusCode(401);
        given().auth().preemptive().basic("hawtio", "wrong").contentType(ContentType.JSON).body(read).post(JOLOKIA).then().statusCode(401);
        given().auth().preemptive().basic("operator", "operator").contentType(ContentType.JSON).body(read).post(JOLOKIA)
                .then().statusCode(401); // the operations API's users are not Jolokia's
        given().auth().preemptive().basic("hawtio", "wrong").get(JOLOKIA + "version").then().statusCode(401);
    }

    @Test
    void theViewerReadsMetricsAndBrowsesInflightButChangesNothing() throws Exception {
        System.setProperty("revops.jolokia.attack.sentinel", SECRET);
        viewer().body(Map.of("type", "read", "mbean", ROUTE_MBEAN, "attribute", "ExchangesTotal")).post(JOLOKIA)
                .then().statusCode(200).body("status", equalTo(200));
        viewer().body(Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute", "HeapMemoryUsage")).post(JOLOKIA)
                .then().statusCode(200).body("status", equalTo(200));
        viewer().body(Map.of("type", "exec", "operation", "browse()",
                "mbean", "org.apache.camel:context=revops-bridge,type=services,name=DefaultInflightRepository")).post(JOLOKIA)
                .then().statusCode(200).body("status", equalTo(200));

        // the JVM's secrets: not by attribute, not by reading all attributes, not by list or search
        for (String attribute : List.of("SystemProperties", "InputArguments")) {
            denied(viewer().body(Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", attribute)).post(JOLOKIA));
        }
        for (Map<String, Object> request : List.<Map<String, Object>>of(
                Map.of("type", "read", "mbean", "java.lang:type=Runtime"),
                Map.of("type", "list"),
                Map.of("type", "search", "mbean", "*:*"))) {
            assertThat(viewer().body(request).post(JOLOKIA).then().extract().asString()).doesNotContain(SECRET)
                    .doesNotContain("trustStorePassword");
        }
        denied(viewer().get(JOLOKIA + "read/java.lang:type=Runtime/SystemProperties"));
        // Jolokia refuses a read of all attributes when one is denied, unless told to ignore errors (Hawtio does)
        denied(viewer().body(Map.of("type", "read", "mbean", "java.lang:type=Runtime")).post(JOLOKIA));
        String runtime = viewer().body(Map.of("type", "read", "mbean", "java.lang:type=Runtime",
                "config", Map.of("ignoreErrors", true))).post(JOLOKIA).then().statusCode(200).body("status", equalTo(200))
                .body("value.Uptime", org.hamcrest.Matchers.notNullValue()).extract().asString();
        assertThat(runtime).doesNotContain(SECRET).doesNotContain("java.class.path");

        // nothing that sends, creates, changes or stops
        Path pwned = Path.of("target", "jolokia-attack", "pwned.txt");
        Files.deleteIfExists(pwned);
        String file = "file:target/jolokia-attack?fileName=pwned.txt";
        for (String[] exec : List.of(
                new String[] { CONTEXT, "sendBody(java.lang.String,java.lang.Object)", file, "pwned" },
                new String[] { CONTEXT, "sendStringBody(java.lang.String,java.lang.String)", file, "pwned" },
                new String[] { CONTEXT, "requestBody(java.lang.String,java.lang.Object)", file, "pwned" },
                new String[] { CONTEXT, "createEndpoint(java.lang.String)", file },
                new String[] { CONTEXT, "addOrUpdateRoutesFromXml(java.lang.String)", "<routes/>" },
                new String[] { CONTEXT, "stop()" },
                new String[] { ROUTE_MBEAN, "stop()" },
                new String[] { ROUTE_MBEAN, "remove()" },
                new String[] { ROUTE_MBEAN, "updateRouteFromXml(java.lang.String)", "<route/>" },
                new String[] { "java.lang:type=Memory", "gc()" })) {
            denied(exec(viewer(), exec));
        }
        denied(viewer().body(Map.of("type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose", "value", true))
                .post(JOLOKIA));
        denied(viewer().body(Map.of("type", "read", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "attribute", "DiagnosticOptions")).post(JOLOKIA));
        assertThat(pwned).doesNotExist();
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRoutes()).extracting(r -> r.getRouteId()).contains(ROUTE);
        assertThat(camel.getEndpoints()).noneMatch(e -> e.getEndpointUri().startsWith("file:"));
    }

    @Test
    void theOperatorMayStopAndStartARouteAuditedButNothingMore() throws SQLException {
        int before = Sql.rows(dataSource, "SELECT id FROM operator_action").size();
        try {
            exec(operator(), new String[] { ROUTE_MBEAN, "stop()" }).then().statusCode(200).body("status", equalTo(200));
            assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Stopped);
        } finally {
            exec(operator(), new String[] { ROUTE_MBEAN, "start()" }).then().statusCode(200).body("status", equalTo(200));
        }
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);

        List<Map<String, Object>> audit = Sql.rows(dataSource,
                "SELECT actor, channel, action, target, client_address FROM operator_action ORDER BY at");
        assertThat(audit).hasSize(before + 2);
        assertThat(audit.subList(before, before + 2)).extracting(r -> r.get("actor"), r -> r.get("action"), r -> r.get("target"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hawtio-operator", "stop-route", ROUTE),
                        org.assertj.core.groups.Tuple.tuple("hawtio-operator", "start-route", ROUTE));
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/operator-actions").then().statusCode(200)
                .body("[0].action", equalTo("start-route")).body("[0].actor", equalTo("hawtio-operator"))
                .body("[0].target", equalTo(ROUTE));

        String file = "file:target/jolokia-attack?fileName=operator.txt";
        denied(exec(operator(), new String[] { CONTEXT, "sendBody(java.lang.String,java.lang.Object)", file, "x" }));
        denied(exec(operator(), new String[] { ROUTE_MBEAN, "remove()" }));
        denied(exec(operator(), new String[] { CONTEXT, "stop()" }));
        denied(operator().body(Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", "SystemProperties")).post(JOLOKIA));
        assertThat(Path.of("target", "jolokia-attack", "operator.txt")).doesNotExist();
        assertThat(Sql.rows(dataSource, "SELECT id FROM operator_action")).hasSize(before + 2);
    }

    @Test
    void anEvilOriginIsRefusedAndNeverReflected() {
        Map<String, Object> read = Map.of("type", "read", "mbean", ROUTE_MBEAN, "attribute", "State");
        Response evil = viewer().header("Origin", "https://evil.example").body(read).post(JOLOKIA);
        denied(evil);
        assertThat(evil.header("Access-Control-Allow-Origin")).isNotEqualTo("https://evil.example").isNotEqualTo("*");
        assertThat(evil.asString()).doesNotContain("Started");
        Response preflight = given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options(JOLOKIA);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNotEqualTo("https://evil.example").isNotEqualTo("*");

        Response local = viewer().header("Origin", "http://localhost:3000").body(read).post(JOLOKIA);
        assertThat(local.statusCode()).isEqualTo(200);
        assertThat(local.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
    }

    @Test
    void passwordGuessingIsSlowedDown() {
        Map<String, Object> version = Map.of("type", "version");
        for (int i = 0; i < 6; i++) {
            given().auth().preemptive().basic("jolokia-mallory", "guess-" + i).contentType(ContentType.JSON).body(version)
                    .post(JOLOKIA).then().statusCode(401);
        }
        given().auth().preemptive().basic("jolokia-mallory", "guess-7").contentType(ContentType.JSON).body(version)
                .post(JOLOKIA).then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.matchesPattern("\\d+"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> viewer().body(version).post(JOLOKIA).statusCode() == 200);
    }

    /** Refused by the restrictor: HTTP 403, or a 403 in the Jolokia response body. */
    private static void denied(Response response) {
        String body = response.asString();
        assertThat(response.statusCode() == 403 || body.contains("\"status\":403"))
                .as("refused with 403, got HTTP %d: %s", response.statusCode(), body).isTrue();
        assertThat(body).doesNotContain(SECRET);
    }

    private static Response exec(RequestSpecification as, String[] exec) {
        return as.body(Map.of("type", "exec", "mbean", exec[0], "operation", exec[1],
                "arguments", List.of(exec).subList(2, exec.length))).post(JOLOKIA);
    }

    private static RequestSpecification viewer() {
        return given().auth().preemptive().basic("hawtio", "hawtio").contentType(ContentType.JSON);
    }

    private static RequestSpecification operator() {
        return given().auth().preemptive().basic("hawtio-operator", "hawtio-op").contentType(ContentType.JSON);
    }
}
