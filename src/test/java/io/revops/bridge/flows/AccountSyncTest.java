package io.revops.bridge.flows;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.billing.BillingAccount;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.canonical.CanonicalSchemas;
import io.revops.bridge.erp.ErpCustomer;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.Management;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * Black-box account sync: the runtime as configured for the embedded default, against the emulated Salesforce
 * (driven only through its REST API, as a user would), Tryton and Kill Bill, and a real Kafka broker. Outcomes
 * are read back from the target systems through their own protocols.
 */
@QuarkusTest
class AccountSyncTest {
    private static final Duration SYNC = Duration.ofSeconds(30);
    private static final String ACCOUNTS = "revops.account.v1";

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    BillingAccounts billing;
    @Inject
    CamelContext camel;
    @Inject
    DataSource dataSource;
    @Inject
    Json json;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private SalesforceRest salesforce;

    @BeforeEach
    void login() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
    }

    @Test
    void anAccountCreatedInSalesforceAppearsOnceInErpAndBillingAndGetsItsCustomerNumberBack() {
        String id = salesforce.create("Account", account("Initech", "Austin"));

        ErpCustomer customer = await().atMost(SYNC).until(() -> erp.find(id), Optional::isPresent).get();
        BillingAccount billed = await().atMost(SYNC).until(() -> billing.find(id), Optional::isPresent).get();
        assertThat(partiesWithKey(id)).hasSize(1);
        assertThat(party(id)).containsEntry("name", "Initech");
        assertThat(sandbox.killBill().accounts()).filteredOn(a -> id.equals(a.get("externalKey"))).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("name", "Initech").containsEntry("currency", "USD")
                        .containsEntry("city", "Austin"));
        assertThat(billed.externalKey()).isEqualTo(id);

        await().atMost(SYNC).untilAsserted(() -> assertThat(salesforce.get("Account", id)
                .path("ERP_Customer_Number__c").asText()).isEqualTo(customer.customerNumber()));
        everyCanonicalEventValidates(id);
    }

    @Test
    void anUpdatePropagatesAndLeavesErpOwnedAttributesAlone() {
        String id = salesforce.create("Account", account("Globex", "Cypress Creek"));
        ErpCustomer created = await().atMost(SYNC).until(() -> erp.find(id), Optional::isPresent).get();
        await().atMost(SYNC).until(() -> !salesforce.get("Account", id).path("ERP_Customer_Number__c").isNull());

        salesforce.update("Account", id, Map.of("Name", "Globex Corporation", "BillingCity", "Springfield"));

        await().atMost(SYNC).untilAsserted(() -> {
            assertThat(party(id)).containsEntry("name", "Globex Corporation");
            assertThat(sandbox.killBill().accounts()).filteredOn(a -> id.equals(a.get("externalKey"))).singleElement()
                    .satisfies(a -> assertThat(a).containsEntry("name", "Globex Corporation").containsEntry("city", "Springfield"));
        });
        assertThat(erp.find(id).orElseThrow().customerNumber()).isEqualTo(created.customerNumber());
        assertThat(partiesWithKey(id)).hasSize(1);
    }

    @Test
    void anAddressChangeReachesErpAndBillingAndAPhoneChangeLeavesTheAddressAlone() {
        String id = salesforce.create("Account", account("Soylent", "Springfield"));
        await().atMost(SYNC).until(() -> erp.find(id).isPresent() && billing.find(id).isPresent());

        // a REST write is flat (BillingCity); its change event carries BillingAddress.City, as a real org's does
        salesforce.update("Account", id, Map.of("BillingCity", "Shelbyville"));

        await().atMost(SYNC).untilAsserted(() -> {
            assertThat(erpAddress(id)).containsEntry("city", "Shelbyville").containsEntry("street", "1 Infinite Loop")
                    .containsEntry("postal_code", "95014");
            assertThat(killBillAccount(id)).containsEntry("city", "Shelbyville").containsEntry("address1", "1 Infinite Loop")
                    .containsEntry("postalCode", "95014");
        });

        // someone corrects the street in the ERP and in billing; then only the phone changes in Salesforce
        erp.upsert(Map.of("key", id, "address", Map.of("street", "2 Side Street")));
        billing.upsert(Map.of("externalKey", id, "address1", "2 Side Street"));
        salesforce.update("Account", id, Map.of("Phone", "+1 555 0142"));

        KafkaTopic topic = new KafkaTopic(bootstrap, ACCOUNTS);
        KafkaTopic.Event phoneChange = await().atMost(SYNC).until(() -> topic.readAll().stream()
                .filter(e -> id.equals(e.key()) && e.value().contains("+1 555 0142")).findFirst(), Optional::isPresent).get();
        assertThat(phoneChange.value()).as("a phone change carries no address").doesNotContain("billingAddress");
        await().atMost(SYNC).until(() -> topic.committedOffset("erp-account-sync", phoneChange.partition()) > phoneChange.offset()
                && topic.committedOffset("billing-account-sync", phoneChange.partition()) > phoneChange.offset());
        assertThat(killBillAccount(id)).containsEntry("phone", "+1 555 0142").containsEntry("address1", "2 Side Street")
                .containsEntry("city", "Shelbyville");
        assertThat(erpAddress(id)).containsEntry("street", "2 Side Street").containsEntry("city", "Shelbyville");
        everyCanonicalEventValidates(id);
    }

    @Test
    void aDuplicatedCdcDeliveryCausesNoSecondWrite() {
        String id = salesforce.create("Account", account("Umbrella", "Raccoon City"));
        await().atMost(SYNC).until(() -> erp.find(id).isPresent() && billing.find(id).isPresent());
        KafkaTopic topic = new KafkaTopic(bootstrap, ACCOUNTS);
        KafkaTopic.Event original = topic.readAll().stream().filter(e -> id.equals(e.key()))
                .filter(e -> "revops.account.created.v1".equals(e.header("ce_type"))).findFirst().orElseThrow();
        int erpWrites = sandbox.tryton().callCount("model.party.party.write") + sandbox.tryton().callCount("model.party.party.create");
        int billingWrites = sandbox.killBill().callCount("POST /1.0/kb/accounts") + sandbox.killBill().callCount("PUT /1.0/kb/accounts");

        sandbox.salesforce().redeliver("/data/AccountChangeEvent", replayIdOf(id));

        KafkaTopic.Event duplicate = await().atMost(SYNC).until(() -> topic.readAll().stream()
                .filter(e -> original.header("ce_id").equals(e.header("ce_id")) && e.offset() != original.offset())
                .findFirst(), Optional::isPresent).get();
        await().atMost(SYNC).until(() -> topic.committedOffset("erp-account-sync", duplicate.partition()) > duplicate.offset()
                && topic.committedOffset("billing-account-sync", duplicate.partition()) > duplicate.offset());
        assertThat(sandbox.tryton().callCount("model.party.party.write") + sandbox.tryton().callCount("model.party.party.create"))
                .isEqualTo(erpWrites);
        assertThat(sandbox.killBill().callCount("POST /1.0/kb/accounts") + sandbox.killBill().callCount("PUT /1.0/kb/accounts"))
                .isEqualTo(billingWrites);
        assertThat(partiesWithKey(id)).hasSize(1);
        Management.given().get("/q/metrics").then().body(containsString("revops_duplicates_total{route=\"erp-account-sync\"}"));
    }

    /** Camel's exchange meters (ops.RouteExchangeMeters, each timer looked up once) count every exchange and send. */
    @Test
    void camelsExchangeMetersCountEachAccountsExchangesAndSends() {
        String first = salesforce.create("Account", account("Globex", "Springfield"));
        await().atMost(SYNC).until(() -> erp.find(first).isPresent() && billing.find(first).isPresent());
        double completed = meterSum("camel_exchange_event_notifier_seconds_count", "routeId=\"erp-account-sync\"", "ExchangeCompleted");
        double sent = meterSum("camel_exchange_event_notifier_seconds_count", "routeId=\"erp-account-sync\"", "ExchangeSent", "kafka");
        long since = System.currentTimeMillis();

        String second = salesforce.create("Account", account("Globex East", "Shelbyville"));
        await().atMost(SYNC).until(() -> erp.find(second).isPresent() && billing.find(second).isPresent());
        // the route consumed the account's events and published its customer number: both counted, on their own timers
        await().atMost(SYNC).untilAsserted(() -> {
            assertThat(meterSum("camel_exchange_event_notifier_seconds_count", "routeId=\"erp-account-sync\"", "ExchangeCompleted"))
                    .isGreaterThan(completed);
            assertThat(meterSum("camel_exchange_event_notifier_seconds_count", "routeId=\"erp-account-sync\"", "ExchangeSent",
                    "kafka")).isGreaterThan(sent);
            assertThat(meterSum("camel_exchanges_last_timestamp")).isGreaterThanOrEqualTo(since);
            assertThat(meterSum("camel_exchanges_inflight{", "routeId=\"erp-account-sync\"")).isZero();
        });
    }

    /** The sum of the Prometheus samples whose line starts with {@code name} and contains every one of {@code parts}. */
    private static double meterSum(String name, String... parts) {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(name) && java.util.Arrays.stream(parts).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void anErpFailingItsFirstCallsIsRedeliveredAndSucceeds() throws Exception {
        int createsBefore = sandbox.tryton().callCount("model.party.party.create");
        sandbox.tryton().failNextCalls("model.party.party.create", 3, 503);
        String id = salesforce.create("Account", account("Hooli", "Palo Alto"));

        // watch the ERP's own records: a JSON-RPC poll from here would eat the injected failures
        await().atMost(SYNC).until(() -> partiesWithKey(id).size() == 1);
        assertThat(sandbox.tryton().callCount("model.party.party.create") - createsBefore)
                .as("3 refused, then the one that passed").isEqualTo(4);
        assertThat(deadLettersFor(id)).isEmpty();
    }

    @Test
    void aMalformedEventIsDeadLetteredWithItsReasonWhileTheNextOnesFlow() throws Exception {
        long malformed = sandbox.salesforce().publishRaw("/data/AccountChangeEvent",
                sandbox.salesforce().changeEvent("Account", "GAP_OVERFLOW", List.of("001000000000BAD")));
        String next = salesforce.create("Account", account("Vandelay Industries", "New York"));

        await().atMost(SYNC).until(() -> erp.find(next), Optional::isPresent);
        assertThat(deadLettersFor("001000000000BAD")).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("route_id", "salesforce-account-inbound").containsEntry("category", "business")
                    .containsEntry("reason_code", "mapping-failed");
            assertThat((String) row.get("exception_message")).contains("GAP_OVERFLOW");
        });
        assertThat(malformed).isPositive();
    }

    @Test
    void aSubscriptionStoppedAndStartedInPlaceResumesFromItsCheckpoint() throws Exception {
        String before = salesforce.create("Account", account("Umbrella Corp", "Raccoon City"));
        await().atMost(SYNC).until(() -> erp.find(before), Optional::isPresent);

        // as an operator does through JMX/Hawtio: the same route, its consumer created when the runtime started
        camel.getRouteController().stopRoute("salesforce-account-inbound");
        String whileStopped = salesforce.create("Account", account("Tyrell Corp", "Los Angeles"));
        camel.getRouteController().startRoute("salesforce-account-inbound");

        await().atMost(SYNC).until(() -> erp.find(whileStopped), Optional::isPresent);
        // by event id: a republished change has the same id (the broker may outlive the sandbox and its record ids)
        List<String> published = new KafkaTopic(bootstrap, ACCOUNTS).readAll().stream()
                .filter(e -> before.equals(e.key()) || whileStopped.equals(e.key()))
                .filter(e -> "revops.account.created.v1".equals(e.header("ce_type"))).map(e -> e.header("ce_id")).toList();
        assertThat(published).as("each change published once: none again after the restart").doesNotHaveDuplicates()
                .anyMatch(id -> id.endsWith(":" + before)).anyMatch(id -> id.endsWith(":" + whileStopped));
    }

    @Test
    void aRestartMidStreamResumesFromTheCheckpointWithNothingLostOrRepublished() throws Exception {
        String before = salesforce.create("Account", account("Stark Industries", "Malibu"));
        await().atMost(SYNC).until(() -> erp.find(before), Optional::isPresent);

        // the runtime's subscription goes away: the route is removed, as in a process exit
        camel.getRouteController().stopRoute("salesforce-account-inbound");
        camel.removeRoute("salesforce-account-inbound");
        List<String> whileDown = new ArrayList<>();
        for (String name : List.of("Wayne Enterprises", "Oscorp", "Cyberdyne")) {
            whileDown.add(salesforce.create("Account", account(name, "Gotham")));
        }
        // ...and comes back: the route file is loaded again, which resolves its replay position afresh
        PluginHelper.getRoutesLoader(camel).updateRoutes(
                ResourceHelper.resolveMandatoryResource(camel, "file:routes/salesforce-account-inbound.camel.yaml"));

        for (String id : whileDown) {
            await().atMost(SYNC).until(() -> erp.find(id), Optional::isPresent);
            assertThat(partiesWithKey(id)).hasSize(1);
        }
        KafkaTopic topic = new KafkaTopic(bootstrap, ACCOUNTS);
        assertThat(topic.readAll()).filteredOn(e -> before.equals(e.key()))
                .filteredOn(e -> "revops.account.created.v1".equals(e.header("ce_type")))
                .as("the create before the restart is not published again").hasSize(1);
    }

    @Test
    void aDeleteDeactivatesTheErpCustomerAndAnUndeleteBringsItBack() {
        String id = salesforce.create("Account", account("Cyberdyne Systems", "Sunnyvale"));
        await().atMost(SYNC).until(() -> partiesWithKey(id).size() == 1 && billing.find(id).isPresent());

        salesforce.delete("Account", id);
        await().atMost(SYNC).until(() -> Boolean.FALSE.equals(party(id).get("active")));
        assertThat(billing.find(id)).as("billing keeps the account for its invoice history").isPresent();

        sandbox.salesforce().undelete("Account", id);
        await().atMost(SYNC).until(() -> Boolean.TRUE.equals(party(id).get("active")));
        assertThat(partiesWithKey(id)).hasSize(1);
    }

    /** The account's events (other tests put hostile events on the same topic on purpose). */
    private void everyCanonicalEventValidates(String accountId) {
        for (KafkaTopic.Event event : new KafkaTopic(bootstrap, ACCOUNTS).readAll()) {
            if (!accountId.equals(event.key())) {
                continue;
            }
            JsonNode data = json.mapper().valueToTree(json.toTree(event.value()));
            assertThat(CanonicalSchemas.violations(CanonicalSchemas.objectOf(event.header("ce_type")), data))
                    .as("%s %s", event.header("ce_id"), event.value()).isEmpty();
            assertThat(event.headers()).containsKeys("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject",
                    "ce_time", "ce_correlationid");
        }
    }

    private long replayIdOf(String accountId) {
        return sandbox.salesforce().replayIdOfRecord("/data/AccountChangeEvent", accountId, "CREATE");
    }

    private List<Map<String, Object>> partiesWithKey(String key) {
        return sandbox.tryton().parties().stream().filter(p -> ((List<?>) p.get("identifiers")).contains(key)).toList();
    }

    private Map<String, Object> party(String key) {
        return partiesWithKey(key).stream().findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> erpAddress(String key) {
        return ((List<Map<String, Object>>) party(key).get("addresses")).get(0);
    }

    private Map<String, Object> killBillAccount(String externalKey) {
        return sandbox.killBill().accounts().stream().filter(a -> externalKey.equals(a.get("externalKey"))).findFirst()
                .orElseThrow();
    }

    private List<Map<String, Object>> deadLettersFor(String businessKey) throws Exception {
        return Sql.rows(dataSource, "SELECT * FROM dead_letter WHERE business_key = ?", businessKey);
    }

    private static Map<String, Object> account(String name, String city) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", name);
        fields.put("Industry", "Technology");
        fields.put("BillingStreet", "1 Infinite Loop");
        fields.put("BillingCity", city);
        fields.put("BillingPostalCode", "95014");
        fields.put("BillingCountry", "US");
        fields.put("CurrencyIsoCode", "USD");
        return fields;
    }
}
