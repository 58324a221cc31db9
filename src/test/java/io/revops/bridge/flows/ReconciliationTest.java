package io.revops.bridge.flows;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.erp.ErpCustomer;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.Management;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * Reconciliation end to end: drift injected behind the runtime's back in each system (a party renamed in Tryton, a
 * Kill Bill account gone, an ERP-owned field edited by a Salesforce user, a second party with our key), found by the
 * next run as the right kind, repaired through the routes (automatically for missing-in-target, by an operator with a
 * reason otherwise, once), and closed by the run after. Outcomes are read in the emulators and the database.
 */
@QuarkusTest
class ReconciliationTest {
    private static final Duration SYNC = Duration.ofSeconds(30);

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    BillingAccounts billing;
    @Inject
    DataSource dataSource;

    private SalesforceRest salesforce;

    @BeforeEach
    void login() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
    }

    @Test
    void driftInEachSystemIsFoundRepairedOnceThroughTheRoutesAndClosed() throws Exception {
        String renamed = synced("Renamed Corp");
        String goneFromBilling = synced("Gone Billing Ltd");
        String editedNumber = synced("Edited Number Inc");
        String duplicated = synced("Duplicated AG");
        ErpCustomer customer = erp.find(editedNumber).orElseThrow();

        sandbox.tryton().renameParty(renamed, "Renamed Behind Our Back");
        sandbox.killBill().removeAccount(goneFromBilling);
        salesforce.update("Account", editedNumber, Map.of("ERP_Customer_Number__c", "TYPED-BY-A-USER"));
        sandbox.tryton().duplicateParty(duplicated, "Duplicated AG (imported twice)");

        String firstRun = completedRun();

        JsonPath nameDrift = drift(renamed, "field-mismatch");
        assertThat(nameDrift.getString("target")).isEqualTo("erp");
        assertThat(nameDrift.getString("systemOfRecord")).isEqualTo("salesforce");
        assertThat(nameDrift.getString("field")).isEqualTo("name");
        assertThat(nameDrift.getString("expected")).isEqualTo("Renamed Corp");
        assertThat(nameDrift.getString("actual")).isEqualTo("Renamed Behind Our Back");
        assertThat(nameDrift.getString("status")).isEqualTo("open"); // field-mismatch is repaired by a person

        JsonPath numberDrift = drift(editedNumber, "field-mismatch");
        assertThat(numberDrift.getString("target")).isEqualTo("salesforce");
        assertThat(numberDrift.getString("systemOfRecord")).isEqualTo("erp");
        assertThat(numberDrift.getString("field")).isEqualTo("customerNumber");
        assertThat(numberDrift.getString("expected")).isEqualTo(customer.customerNumber());
        assertThat(numberDrift.getString("actual")).isEqualTo("TYPED-BY-A-USER");

        JsonPath missing = drift(goneFromBilling, "missing-in-target");
        assertThat(missing.getString("target")).isEqualTo("billing");
        assertThat(missing.getString("repairedBy")).isEqualTo("reconciliation"); // the default auto-repair policy
        await().atMost(SYNC).until(() -> billing.find(goneFromBilling).isPresent());
        assertThat(sandbox.killBill().accounts()).filteredOn(a -> goneFromBilling.equals(a.get("externalKey")))
                .singleElement().satisfies(a -> assertThat(a).containsEntry("name", "Gone Billing Ltd")
                        .containsEntry("city", "Springfield"));

        JsonPath duplicate = drift(duplicated, "duplicate-in-target");
        assertThat(duplicate.getString("actual")).startsWith("2 parties");

        // who may repair, and how
        viewer().body(Map.of("reason", "x")).post(repairOf(nameDrift)).then().statusCode(403);
        operator().body(Map.of()).post(repairOf(nameDrift)).then().statusCode(400)
                .body("detail", containsString("a reason is required"));
        operator().body("{\"reason\": \"x\", \"force\": true}").post(repairOf(nameDrift)).then().statusCode(400)
                .body("detail", containsString("unknown field 'force'"));
        operator().body(Map.of("reason", "x")).post("/api/v1/reconciliation/drifts/no-such-drift/repair").then().statusCode(404);
        operator().body(Map.of("reason", "merge them")).post(repairOf(duplicate)).then().statusCode(409)
                .body("detail", containsString("only reported"));
        viewer().queryParam("kind", "name-mismatch").get("/api/v1/reconciliation/drifts").then().statusCode(400)
                .body("detail", containsString("missing-in-target, orphan-in-target, field-mismatch"));

        operator().body(Map.of("reason", "party renamed in the ERP by mistake")).post(repairOf(nameDrift))
                .then().statusCode(202).body("status", org.hamcrest.Matchers.equalTo("repaired"));
        operator().body(Map.of("reason", "again")).post(repairOf(nameDrift)).then().statusCode(409)
                .body("detail", containsString("repaired once"));
        operator().body(Map.of("reason", "the ERP owns the customer number")).post(repairOf(numberDrift))
                .then().statusCode(202);

        await().atMost(SYNC).untilAsserted(() -> {
            assertThat(sandbox.tryton().parties()).filteredOn(p -> ((List<?>) p.get("identifiers")).contains(renamed))
                    .singleElement().satisfies(p -> assertThat(p).containsEntry("name", "Renamed Corp"));
            assertThat(salesforce.get("Account", editedNumber).path("ERP_Customer_Number__c").asText())
                    .isEqualTo(customer.customerNumber());
        });

        // repaired once: one reconciliation hop for the drift, audited with the operator and the reason
        assertThat(Sql.rows(dataSource, "SELECT detail FROM lineage WHERE route_id = 'reconciliation' AND business_key = ?",
                renamed)).singleElement().satisfies(hop -> assertThat(hop.get("detail").toString())
                        .contains(nameDrift.getString("id")));
        assertThat(Sql.rows(dataSource, "SELECT actor FROM operator_action WHERE action = 'repair-drift' AND target LIKE ?",
                "%" + nameDrift.getString("id") + "%")).singleElement()
                .satisfies(row -> assertThat(row.get("actor")).isEqualTo("operator"));

        String secondRun = completedRun();
        assertThat(secondRun).isNotEqualTo(firstRun);
        for (String key : List.of(renamed, goneFromBilling, editedNumber)) {
            assertThat(drifts(key)).as("drifts of %s after the repair", key)
                    .allSatisfy(d -> assertThat(d.get("status")).isEqualTo("closed"));
        }
        assertThat(drifts(duplicated)).singleElement().satisfies(d -> {
            assertThat(d.get("status")).isEqualTo("open"); // still there: only a person removes a duplicate
            assertThat(d.get("lastRunId")).isEqualTo(secondRun);
        });

        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("revops_reconciliation_drifts{kind=\"duplicate-in-target\",object=\"account\"}"))
                .body(containsString("revops_reconciliation_last_success_timestamp{object=\"account\"}"));
    }

    @Test
    void aPartyWhoseAccountSalesforceNeverHeldIsAnOrphanAndItsRepairDeactivatesIt() {
        String unknown = "001" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
        sandbox.tryton().duplicateParty(unknown, "Imported By Hand");

        completedRun();
        JsonPath orphan = drift(unknown, "orphan-in-target");
        assertThat(orphan.getString("target")).isEqualTo("erp");
        assertThat(orphan.getString("actual")).contains("Imported By Hand");
        assertThat(orphan.getString("status")).isEqualTo("open"); // not in the default auto-repair policy

        operator().body(Map.of("reason", "no such customer in Salesforce")).post(repairOf(orphan)).then().statusCode(202);

        await().atMost(SYNC).untilAsserted(() -> assertThat(sandbox.tryton().parties())
                .filteredOn(p -> ((List<?>) p.get("identifiers")).contains(unknown)).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("active", false)));
        completedRun();
        assertThat(drifts(unknown)).singleElement().satisfies(d -> assertThat(d.get("status")).isEqualTo("closed"));
    }

    @Test
    void aRepairThatDidNotTakeIsReopenedNotAutoRepairedAgainAndAnOperatorRepairsItWithANewEvent() {
        String key = synced("Deleted Twice Ltd");
        sandbox.killBill().removeAccount(key);

        completedRun();
        JsonPath repaired = drift(key, "missing-in-target");
        assertThat(repaired.getString("repairedBy")).isEqualTo("reconciliation");
        assertThat(repaired.getInt("reopened")).isZero();
        await().atMost(SYNC).until(() -> billing.find(key).isPresent());

        sandbox.killBill().removeAccount(key); // the repair's effect undone behind our back
        completedRun();

        JsonPath reopened = drift(key, "missing-in-target");
        assertThat(reopened.getString("id")).isEqualTo(repaired.getString("id"));
        assertThat(reopened.getString("status")).isEqualTo("open");
        assertThat(reopened.getInt("reopened")).isEqualTo(1);
        assertThat(reopened.getString("reopenedAt")).isNotNull();
        // not auto-repaired a second time: the last repair is still the automatic one
        assertThat(reopened.getString("repairId")).isEqualTo(repaired.getString("repairId"));
        assertThat(billing.find(key)).isEmpty();
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*revops_reconciliation_reopened_drifts\\{object=\"account\"} [1-9].*"));

        JsonPath again = new JsonPath(operator().body(Map.of("reason", "account deleted in Kill Bill again, restoring"))
                .post(repairOf(reopened)).then().statusCode(202).extract().asString());
        assertThat(again.getString("repairId")).isNotEqualTo(repaired.getString("repairId"));
        assertThat(again.getString("repairedBy")).isEqualTo("operator");
        await().atMost(SYNC).until(() -> billing.find(key).isPresent()); // a new event, not dropped as a duplicate

        completedRun();
        assertThat(drifts(key)).singleElement().satisfies(d -> {
            assertThat(d.get("status")).isEqualTo("closed");
            assertThat(d.get("reopened")).isEqualTo(1);
        });
    }

    @Test
    void runsAndDriftsNeedTheirRoles() {
        given().get("/api/v1/reconciliation/runs").then().statusCode(401);
        viewer().get("/api/v1/reconciliation/runs").then().statusCode(200);
        viewer().body("{}").post("/api/v1/reconciliation/runs").then().statusCode(403);
        operator().contentType(ContentType.TEXT).body("{}").post("/api/v1/reconciliation/runs").then().statusCode(415);
        viewer().queryParam("status", "fixed").get("/api/v1/reconciliation/drifts").then().statusCode(400)
                .body("detail", containsString("open, repair-requested, repaired, closed"));
        viewer().queryParam("limit", "100000").get("/api/v1/reconciliation/drifts").then().statusCode(400);
    }

    /** An account created in Salesforce, synced to the ERP and billing, its customer number back on it. */
    private String synced(String name) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", name);
        fields.put("BillingStreet", "742 Evergreen Terrace");
        fields.put("BillingCity", "Springfield");
        fields.put("BillingPostalCode", "49007");
        fields.put("CurrencyIsoCode", "USD");
        String id = salesforce.create("Account", fields);
        await().atMost(SYNC).until(() -> erp.find(id).isPresent() && billing.find(id).isPresent()
                && !salesforce.get("Account", id).path("ERP_Customer_Number__c").isNull());
        return id;
    }

    /** Starts a run (waiting while another is in progress) and waits for it to complete. */
    private String completedRun() {
        String id = await().atMost(SYNC).until(() -> {
            var response = operator().body("{}").post("/api/v1/reconciliation/runs");
            return response.statusCode() == 202 ? Optional.of(response.jsonPath().getString("id")) : Optional.<String>empty();
        }, Optional::isPresent).get();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Map<String, Object>> runs = viewer().get("/api/v1/reconciliation/runs").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            assertThat(runs).filteredOn(r -> id.equals(r.get("id"))).singleElement()
                    .satisfies(r -> assertThat(r.get("status")).as("run %s: %s", id, r.get("error")).isEqualTo("completed"));
        });
        return id;
    }

    private JsonPath drift(String key, String kind) {
        List<Map<String, Object>> found = drifts(key).stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as("%s drifts of %s", kind, key).hasSize(1);
        return new JsonPath(viewer().get("/api/v1/reconciliation/drifts/" + found.get(0).get("id")).then().statusCode(200)
                .extract().asString());
    }

    private List<Map<String, Object>> drifts(String key) {
        return viewer().queryParam("object", "account").queryParam("limit", "500").get("/api/v1/reconciliation/drifts")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(d -> key.equals(d.get("businessKey"))).toList();
    }

    private static String repairOf(JsonPath drift) {
        return "/api/v1/reconciliation/drifts/" + drift.getString("id") + "/repair";
    }

    private static RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON);
    }

    private static RequestSpecification operator() {
        return given().auth().preemptive().basic("operator", "operator").contentType(ContentType.JSON);
    }
}
