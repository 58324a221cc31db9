package io.revops.bridge.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.revops.bridge.testing.Sql;

/**
 * The operations API as an attacker uses it: malformed numbers and dates, unknown and misspelt fields, over-long
 * reasons, cross-site-sendable bodies, batch replays without a filter, double discards, a dead letter too large to
 * republish and password guessing. Every refusal is a problem body (never a stack trace) and leaves the dead-letter
 * rows and their audit trail as they were.
 */
@QuarkusTest
class OperationsApiAttackTest {
    private static final String ROUTE = "ops-attack-route";
    private static final String API = "/api/v1/dead-letters";

    @Inject
    DataSource dataSource;

    @Test
    void badNumbersAndDatesAreProblemsNotEmpty404s() {
        for (Map.Entry<String, String> bad : Map.of("size", "abc", "page", "1e3", "from", "yesterday", "to", "1700000000")
                .entrySet()) {
            problem(viewer().queryParam(bad.getKey(), bad.getValue()).get(API), 400, API)
                    .body("detail", containsString(bad.getKey()));
        }
        problem(viewer().queryParam("page", "-1").get(API), 400, API);
        problem(viewer().queryParam("size", "0").get(API), 400, API);
        problem(viewer().queryParam("size", "99999999999999999999").get(API), 400, API);
        viewer().queryParam("page", "0").queryParam("size", "5").get(API).then().statusCode(200);
    }

    @Test
    void refusedWritesChangeNothing() throws SQLException {
        String id = deadLetter("kafka:revops.account.v1?groupId=x", "{\"name\":\"Acme\"}");
        String replay = API + "/" + id + "/replay";
        String discard = API + "/" + id + "/discard";

        problem(operator().body(Map.of("reason", "x".repeat(3000))).post(discard), 400, discard)
                .body("detail", containsString("1000"));
        problem(operator().body(Map.of("reason", "x".repeat(1001))).post(replay), 400, replay);
        problem(operator().contentType(ContentType.TEXT).body("{\"reason\":\"csrf\"}").post(replay), 415, replay);
        problem(operator().contentType("application/x-www-form-urlencoded").body("reason=csrf").post(discard), 415, discard);
        problem(operator().contentType("multipart/form-data; boundary=x").body("--x--".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post(discard), 415, discard);
        problem(operator().body("{\"reasn\":\"typo\"}").post(discard), 400, discard).body("detail", containsString("reasn"));
        problem(operator().body("{\"reason\":").post(discard), 400, discard).body("detail", containsString("not valid JSON"));
        problem(operator().body("[\"reason\"]").post(discard), 400, discard);
        problem(operator().body("{\"reason\":42}").post(discard), 400, discard).body("detail", containsString("reason"));
        problem(operator().body("{\"reason\":\"ok\"} trailing").post(discard), 400, discard);
        problem(operator().body(Map.of("reason", " ")).post(discard), 400, discard);

        assertUntouched(id);
    }

    @Test
    void aBatchReplayNeedsAnExplicitFilter() throws SQLException {
        String id = deadLetter("kafka:revops.account.v1?groupId=x", "{}");
        String route = ROUTE + "-" + id; // were a refusal to go through, it would replay this one
        String batch = API + "/replay";
        String from = Instant.now().minus(Duration.ofHours(1)).toString();
        String to = Instant.now().plus(Duration.ofHours(1)).toString();

        problem(operator().body("{}").post(batch), 400, batch).body("detail", containsString("all"));
        problem(operator().body("").post(batch), 400, batch);
        problem(operator().body(Map.of("routID", route, "from", from, "to", to)).post(batch), 400, batch)
                .body("detail", containsString("routID"));
        problem(operator().body(Map.of("routeId", route)).post(batch), 400, batch);
        problem(operator().body(Map.of("routeId", route, "from", from)).post(batch), 400, batch);
        problem(operator().body(Map.of("routeId", route, "from", to, "to", from)).post(batch), 400, batch);
        problem(operator().body(Map.of("routeId", route, "from", 1_700_000_000, "to", to)).post(batch), 400, batch)
                .body("detail", containsString("from"));
        problem(operator().body(Map.of("routeId", route, "from", "last week", "to", to)).post(batch), 400, batch);
        problem(operator().body("{\"all\":\"true\"}").post(batch), 400, batch).body("detail", containsString("all"));
        problem(operator().body("{\"all\":1}").post(batch), 400, batch);
        problem(operator().contentType(ContentType.TEXT).body("{\"all\":true}").post(batch), 415, batch);

        assertUntouched(id);
    }

    @Test
    void discardIsFinal() throws SQLException {
        String id = deadLetter("kafka:revops.account.v1?groupId=x", "{}");
        String discard = API + "/" + id + "/discard";
        operator().body(Map.of("reason", "test data")).post(discard).then().statusCode(200).body("status", equalTo("discarded"));

        problem(operator().body(Map.of("reason", "again")).post(discard), 409, discard).body("detail", containsString("discarded"));
        String replay = API + "/" + id + "/replay";
        problem(operator().body(Map.of("reason", "bring it back")).post(replay), 409, replay);
        String from = Instant.now().minus(Duration.ofHours(1)).toString();
        String to = Instant.now().plus(Duration.ofHours(1)).toString();
        operator().body(Map.of("routeId", ROUTE + "-" + id, "from", from, "to", to)).post(API + "/replay").then()
                .statusCode(200).body("replayed.size()", equalTo(0));

        assertThat(Sql.rows(dataSource, "SELECT status FROM dead_letter WHERE id = ?", id)).singleElement()
                .satisfies(row -> assertThat(row.get("status")).isEqualTo("discarded"));
        assertThat(Sql.rows(dataSource, "SELECT action, reason FROM dead_letter_audit WHERE dead_letter_id = ?", id))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("action", "discard").containsEntry("reason", "test data"));
    }

    @Test
    void aDeadLetterTooLargeToRepublishSaysSoAndHowToRepairIt() throws SQLException {
        String id = deadLetter("kafka:revops.account.v1?groupId=x", "{\"name\":\"" + "x".repeat(1_100_000) + "\"}");
        String replay = API + "/" + id + "/replay";
        problem(operator().body(Map.of("reason", "try")).post(replay), 422, replay)
                .body("detail", containsString("max.request.size")).body("detail", containsString("resync"));

        String from = Instant.now().minus(Duration.ofHours(1)).toString();
        String to = Instant.now().plus(Duration.ofHours(1)).toString();
        operator().body(Map.of("routeId", ROUTE + "-" + id, "from", from, "to", to, "reason", "batch")).post(API + "/replay")
                .then().statusCode(200).body("replayed.size()", equalTo(0))
                .body("refused." + id, containsString("max.request.size"));
        assertUntouched(id);
    }

    @Test
    void repeatedFailedLoginsAreSlowedDownPerUserAndAddressAndASuccessResets() {
        for (int i = 0; i < 6; i++) {
            given().auth().preemptive().basic("mallory", "guess-" + i).get(API).then().statusCode(401);
        }
        ValidatableResponse locked = given().auth().preemptive().basic("mallory", "guess-7").get(API).then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("\\d+"))
                .body("status", equalTo(429)).body("type", containsString("too-many-failed-logins"));
        assertThat(locked.extract().contentType()).startsWith(Problem.MEDIA_TYPE);
        // the address is locked too: the right password of another user waits as well, then resets the address
        given().auth().preemptive().basic("viewer", "viewer").get(API).then().statusCode(429);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() ->
                given().auth().preemptive().basic("viewer", "viewer").get(API).then().extract().statusCode() == 200);
        given().auth().preemptive().basic("viewer", "wrong").get(API).then().statusCode(401);
        given().auth().preemptive().basic("viewer", "viewer").get(API).then().statusCode(200);
    }

    @Test
    void theUnderPrivilegedAndUnauthenticatedStayOut() {
        given().get(API).then().statusCode(401);
        viewer().body(Map.of("reason", "x")).post(API + "/any/discard").then().statusCode(403);
        problem(viewer().get(API + "/no-such-id"), 404, API + "/no-such-id");
        problem(viewer().queryParam("businessKey", "a").queryParam("correlationId", "b").get("/api/v1/lineage"), 400,
                "/api/v1/lineage");
    }

    /** Asserts a problem body: JSON, type/title/status/detail/instance, and no trace of a stack. */
    private static ValidatableResponse problem(io.restassured.response.Response response, int status, String instance) {
        ValidatableResponse then = response.then().statusCode(status);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        return then.body("status", equalTo(status)).body("type", startsWith("urn:revops:problem:")).body("title", not(equalTo(null)))
                .body("detail", not(equalTo(null))).body("instance", equalTo(instance))
                .body(not(containsString("Exception"))).body(not(containsString("\tat ")));
    }

    private void assertUntouched(String id) throws SQLException {
        assertThat(Sql.rows(dataSource, "SELECT status FROM dead_letter WHERE id = ?", id)).singleElement()
                .satisfies(row -> assertThat(row.get("status")).isEqualTo("open"));
        assertThat(Sql.rows(dataSource, "SELECT * FROM dead_letter_audit WHERE dead_letter_id = ?", id)).isEmpty();
    }

    /**
     * An open dead letter of a route nobody runs (a route of its own per dead letter, so a batch replay by route
     * finds only it), as the dead-letter store would write it.
     */
    private String deadLetter(String sourceEndpoint, String payload) throws SQLException {
        String id = UUID.randomUUID().toString();
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO dead_letter (id, route_id, category, reason_code, exception_type, exception_message, event_id,
                    event_type, business_key, payload, headers, attempts, first_failed_at, last_failed_at, status, source_endpoint)
                VALUES (?, ?, 'business', 'erp-rejected', 'java.lang.IllegalStateException', 'refused', ?, 'revops.account.upserted.v1',
                    ?, ?, '{"ce_id":"attack"}', 1, ?, ?, 'open', ?)""")) {
            List<Object> values = List.of(id, ROUTE + "-" + id, "evt-" + id, "KEY-" + id, payload, now, now, sourceEndpoint);
            for (int i = 0; i < values.size(); i++) {
                insert.setObject(i + 1, values.get(i));
            }
            insert.executeUpdate();
        }
        return id;
    }

    private static RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON);
    }

    private static RequestSpecification operator() {
        return given().auth().preemptive().basic("operator", "operator").contentType(ContentType.JSON);
    }
}
