package io.revops.bridge.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.Management;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * Operators at work, black box: a failure shows up as a dead letter in the API, a replay after the cause is gone
 * applies it exactly once, a second replay changes nothing, a discard needs a reason and is audited, and the API
 * keeps out the unauthenticated and the under-privileged.
 */
@QuarkusTest
class DeadLetterOperationsTest {
    private static final Duration SYNC = Duration.ofSeconds(30);

    @Inject
    Sandbox sandbox;
    @Inject
    BillingAccounts billing;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private SalesforceRest salesforce;

    @BeforeEach
    void login() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
    }

    @Test
    void aFailureBecomesAVisibleDeadLetterAndAReplayAppliesItExactlyOnce() {
        sandbox.killBill().failNextCalls("POST /1.0/kb/accounts", 1, 400); // billing refuses the create: a business failure
        String account = salesforce.create("Account", Map.of("Name", "Replay Ltd", "CurrencyIsoCode", "USD"));

        JsonPath deadLetter = await().atMost(SYNC).until(() -> viewer().queryParam("route", "billing-account-sync")
                .queryParam("businessKey", account).get("/api/v1/dead-letters").then().statusCode(200).extract().jsonPath(),
                page -> page.getInt("total") == 1);
        String id = deadLetter.getString("items[0].id");
        assertThat(deadLetter.getString("items[0].category")).isEqualTo("business");
        assertThat(deadLetter.getString("items[0].reasonCode")).isEqualTo("billing-rejected");
        viewer().get("/api/v1/dead-letters/" + id).then().statusCode(200)
                .body("payload", containsString("Replay Ltd")).body("headers.ce_subject", equalTo(account));
        assertThat(billing.find(account)).isEmpty();

        operator().body(Map.of("reason", "Kill Bill accepted the fix")).post("/api/v1/dead-letters/" + id + "/replay")
                .then().statusCode(202);
        await().atMost(SYNC).until(() -> billing.find(account), Optional::isPresent);
        int writes = billingWrites();

        operator().body(Map.of("reason", "again, to be sure")).post("/api/v1/dead-letters/" + id + "/replay")
                .then().statusCode(202);
        awaitConsumed("billing-account-sync", deadLetter.getString("items[0].eventId"), 3);
        assertThat(billingWrites()).as("a second replay is a no-op").isEqualTo(writes);
        assertThat(sandbox.killBill().accounts()).filteredOn(a -> account.equals(a.get("externalKey"))).hasSize(1);

        List<Map<String, Object>> audit = viewer().get("/api/v1/dead-letters/" + id + "/audit").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(audit).extracting(e -> e.get("action"), e -> e.get("actor"), e -> e.get("reason"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("replay", "operator", "Kill Bill accepted the fix"),
                        org.assertj.core.groups.Tuple.tuple("replay", "operator", "again, to be sure"));
        viewer().queryParam("businessKey", account).get("/api/v1/lineage").then().statusCode(200)
                .body("findAll { it.routeId == 'operations-api' }.outcome", org.hamcrest.Matchers.everyItem(equalTo("published")))
                .body("findAll { it.routeId == 'operations-api' }.size()", equalTo(2));
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("revops_dead_letters_total{category=\"business\",route=\"billing-account-sync\"}"))
                .body(containsString("revops_replays_total{route=\"billing-account-sync\"}"));
    }

    @Test
    void aDiscardNeedsAReasonIsAuditedAndIsFinal() {
        sandbox.killBill().failNextCalls("POST /1.0/kb/accounts", 1, 400);
        String account = salesforce.create("Account", Map.of("Name", "Discard Inc", "CurrencyIsoCode", "USD"));
        String id = await().atMost(SYNC).until(() -> viewer().queryParam("businessKey", account).get("/api/v1/dead-letters")
                .then().extract().jsonPath(), page -> page.getInt("total") == 1).getString("items[0].id");

        operator().body(Map.of()).post("/api/v1/dead-letters/" + id + "/discard").then().statusCode(400);
        operator().body(Map.of("reason", "test account, never billed")).post("/api/v1/dead-letters/" + id + "/discard")
                .then().statusCode(200).body("status", equalTo("discarded"));
        viewer().get("/api/v1/dead-letters/" + id + "/audit").then().statusCode(200)
                .body("[0].action", equalTo("discard")).body("[0].actor", equalTo("operator"))
                .body("[0].reason", equalTo("test account, never billed"));
        operator().body(Map.of("reason", "changed my mind")).post("/api/v1/dead-letters/" + id + "/replay").then().statusCode(409);
    }

    @Test
    void aChangeThatCannotBeMappedIsNotReplayableButSaysHowToRepairIt() {
        String record = "001000000000REP";
        sandbox.salesforce().publishRaw("/data/AccountChangeEvent",
                sandbox.salesforce().changeEvent("Account", "GAP_UPDATE", List.of(record)));
        String id = await().atMost(SYNC).until(() -> viewer().queryParam("businessKey", record).get("/api/v1/dead-letters")
                .then().extract().jsonPath(), page -> page.getInt("total") == 1).getString("items[0].id");

        operator().body(Map.of("reason", "try")).post("/api/v1/dead-letters/" + id + "/replay").then().statusCode(409)
                .body(containsString("resync"));
    }

    @Test
    void theApiKeepsOutTheUnauthenticatedAndTheUnderPrivileged() {
        given().get("/api/v1/dead-letters").then().statusCode(401);
        given().auth().preemptive().basic("viewer", "wrong").get("/api/v1/dead-letters").then().statusCode(401);
        viewer().body(Map.of("reason", "x")).post("/api/v1/dead-letters/any/replay").then().statusCode(403);
        viewer().body(Map.of("reason", "x")).post("/api/v1/dead-letters/any/discard").then().statusCode(403);
        viewer().get("/api/v1/dead-letters/no-such-id").then().statusCode(404);
        viewer().queryParam("size", 10_000).get("/api/v1/dead-letters").then().statusCode(400);
    }

    private int billingWrites() {
        return sandbox.killBill().callCount("POST /1.0/kb/accounts") + sandbox.killBill().callCount("PUT /1.0/kb/accounts");
    }

    /** Waits until a consumer group has read past the n-th copy of an event on the account topic. */
    private void awaitConsumed(String group, String eventId, int copies) {
        KafkaTopic topic = new KafkaTopic(bootstrap, "revops.account.v1");
        KafkaTopic.Event last = await().atMost(SYNC).until(() -> topic.readAll().stream()
                .filter(e -> eventId.equals(e.header("ce_id"))).toList(), list -> list.size() >= copies).get(copies - 1);
        await().atMost(SYNC).until(() -> topic.committedOffset(group, last.partition()) > last.offset());
    }

    private static io.restassured.specification.RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON);
    }

    private static io.restassured.specification.RequestSpecification operator() {
        return given().auth().preemptive().basic("operator", "operator").contentType(ContentType.JSON);
    }
}
