package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.CircuitOpenException;
import io.revops.bridge.policy.TransientFailureException;

class ErpAccountSyncRouteTest extends RouteTestSupport {
    private static final String ACCOUNT = "001000000000001AAA";
    private static final String SALESFORCE = "/salesforce/data/AccountChangeEvent";

    private final FakeErpCustomers erp = new FakeErpCustomers();
    private final FakeAccountResync salesforce = new FakeAccountResync();

    @Override
    protected String routeId() {
        return "erp-account-sync";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("erpCustomers", erp, "accountResync", salesforce);
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveByToUri("kafka:*").replace().to("mock:kafka");
    }

    @Test
    void createdAccountBecomesAPartyAndPublishesTheCustomerNumber() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);

        sendEvent("e-1", "revops.account.created.v1", SALESFORCE, ACCOUNT, Map.of("accountId", ACCOUNT,
                "name", "Acme", "industry", "Retail", "deleted", false,
                "billingAddress", Map.of("street", "1 Main St", "city", "Springfield"), "customerNumber", "forged"));

        assertThat(erp.upserts).containsExactly(Map.of("key", ACCOUNT, "name", "Acme",
                "address", Map.of("street", "1 Main St", "city", "Springfield")));
        published.assertIsSatisfied();
        var link = published.getExchanges().get(0).getMessage();
        assertThat(link.getHeader("ce_id")).isEqualTo("erp:e-1");
        assertThat(link.getHeader("ce_source")).isEqualTo("/erp/tryton/party");
        assertThat(link.getHeader("ce_causationid")).isEqualTo("e-1");
        assertThat(link.getHeader("ce_correlationid")).isEqualTo("corr-" + ACCOUNT);
        assertThat(json.toMap(link.getBody())).containsEntry("customerNumber", "C-7")
                .containsEntry("changedAttributes", List.of("customerNumber"));
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
        Map<String, Object> account = Map.of("accountId", ACCOUNT, "name", "Acme", "deleted", false);
        sendEvent("e-2", "revops.account.created.v1", SALESFORCE, ACCOUNT, account);
        sendEvent("e-2", "revops.account.created.v1", SALESFORCE, ACCOUNT, account);
        assertThat(erp.upserts).hasSize(1);
    }

    @Test
    void onlyChangedSalesforceOwnedAttributesAreWritten() {
        sendEvent("e-3", "revops.account.updated.v1", SALESFORCE, ACCOUNT, Map.of("accountId", ACCOUNT,
                "phone", "+1 555", "customerNumber", "not-yours", "deleted", false,
                "changedAttributes", List.of("phone", "customerNumber")));
        assertThat(erp.upserts).containsExactly(Map.of("key", ACCOUNT));
        assertThat(erp.upserts.get(0)).doesNotContainKey("customerNumber");
    }

    @Test
    void changesTheErpOwnsOrMadeItselfAreNotAppliedBack() {
        sendEvent("e-4", "revops.account.updated.v1", SALESFORCE, ACCOUNT, Map.of("accountId", ACCOUNT,
                "customerNumber", "C-7", "deleted", false, "changedAttributes", List.of("customerNumber")));
        sendEvent("erp:e-1", "revops.account.updated.v1", "/erp/tryton/party", ACCOUNT, Map.of("accountId", ACCOUNT,
                "customerNumber", "C-7", "deleted", false, "changedAttributes", List.of("customerNumber")));
        assertThat(erp.upserts).isEmpty();
    }

    @Test
    void transientErpFailuresAreRedeliveredUntilTheyPass() throws Exception {
        erp.failTransiently = 2;
        sendEvent("e-5", "revops.account.created.v1", SALESFORCE, ACCOUNT, Map.of("accountId", ACCOUNT, "name", "Acme",
                "deleted", false));
        assertThat(erp.attempts).isEqualTo(3);
        assertThat(erp.upserts).hasSize(1);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aBusinessRejectionIsDeadLetteredAtOnceAndCanBeAppliedLater() throws Exception {
        erp.reject = true;
        Map<String, Object> account = Map.of("accountId", ACCOUNT, "name", "Acme", "deleted", false);
        sendEvent("e-6", "revops.account.created.v1", SALESFORCE, ACCOUNT, account);

        assertThat(erp.attempts).isEqualTo(1);
        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("route_id", "erp-account-sync").containsEntry("category", "business")
                    .containsEntry("reason_code", "erp-rejected").containsEntry("business_key", ACCOUNT)
                    .containsEntry("event_id", "e-6").containsEntry("correlation_id", "corr-" + ACCOUNT)
                    .containsEntry("status", "open");
            assertThat((String) row.get("payload")).contains("\"name\":\"Acme\"");
            assertThat((String) row.get("exception_message")).contains("credit hold");
        });

        erp.reject = false; // the operator fixed the cause: the same event now applies (its key was not committed)
        sendEvent("e-6", "revops.account.created.v1", SALESFORCE, ACCOUNT, account);
        assertThat(erp.upserts).hasSize(1);
    }

    @Test
    void anEventWithoutItsKeyIsDeadLetteredAsInvalid() throws Exception {
        sendEvent("e-7", "revops.account.created.v1", SALESFORCE, ACCOUNT, Map.of("name", "No key", "deleted", false));
        assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("category", "business").containsEntry("reason_code", "invalid-event"));
        assertThat(erp.attempts).isZero();
    }

    @Test
    void whenTheDeadLetterStoreFailsTheFailureReachesTheConsumer() throws Exception {
        erp.reject = true;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE dead_letter CASCADE");
        }
        assertThatThrownBy(() -> sendEvent("e-8", "revops.account.created.v1", SALESFORCE, ACCOUNT,
                Map.of("accountId", ACCOUNT, "name", "Acme", "deleted", false)))
                .isInstanceOf(CamelExecutionException.class);
    }

    @Test
    void whileTheErpCircuitIsOpenTheEventGoesBackToKafkaUncommittedAndNotToTheDeadLetters() throws Exception {
        erp.circuitOpen = true;
        Map<String, Object> account = Map.of("accountId", ACCOUNT, "name", "Acme", "deleted", false);
        assertThatThrownBy(() -> sendEvent("e-9", "revops.account.created.v1", SALESFORCE, ACCOUNT, account))
                .hasRootCauseInstanceOf(CircuitOpenException.class);
        assertThat(erp.attempts).as("the first try and 3 re-checks of the circuit").isEqualTo(4);
        assertThat(deadLetters()).isEmpty();

        erp.circuitOpen = false; // Kafka delivers the same event again once the circuit lets calls through
        sendEvent("e-9", "revops.account.created.v1", SALESFORCE, ACCOUNT, account);
        assertThat(erp.upserts).hasSize(1);
    }

    @Test
    void anUpdateOfAnAccountTheErpDoesNotHoldPublishesTheAccountFromSalesforceInsteadOfADeadLetter() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);
        erp.unknown = true;

        sendEvent("e-10", "revops.account.updated.v1", SALESFORCE, ACCOUNT, Map.of("accountId", ACCOUNT,
                "phone", "+1 555", "deleted", false, "changedAttributes", List.of("phone")));

        published.assertIsSatisfied();
        var resync = published.getExchanges().get(0).getMessage();
        assertThat(resync.getHeader("ce_id")).isEqualTo("salesforce:resync:" + ACCOUNT + ":e-10");
        assertThat(resync.getHeader("ce_type")).isEqualTo("revops.account.created.v1");
        assertThat(resync.getHeader("ce_causationid")).isEqualTo("e-10");
        assertThat(json.toMap(resync.getBody())).containsEntry("name", "Acme").containsEntry("phone", "+1 555");
        assertThat(salesforce.reads).containsExactly(ACCOUNT);
        assertThat(deadLetters()).isEmpty();

        erp.unknown = false; // the resync, consumed from Kafka, creates the party; the update is not applied again
        sendEvent("e-10", "revops.account.updated.v1", SALESFORCE, ACCOUNT, Map.of("accountId", ACCOUNT,
                "phone", "+1 555", "deleted", false, "changedAttributes", List.of("phone")));
        assertThat(erp.upserts).isEmpty();
    }

    @Test
    void anAccountGoneFromSalesforceTooIsADeadLetter() throws Exception {
        erp.unknown = true;
        salesforce.gone = true;

        sendEvent("e-11", "revops.account.updated.v1", SALESFORCE, ACCOUNT, Map.of("accountId", ACCOUNT,
                "phone", "+1 555", "deleted", false, "changedAttributes", List.of("phone")));

        assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("category", "business").containsEntry("reason_code", "unknown-account")
                .containsEntry("event_id", "e-11"));
    }

    /** Stands in for salesforce.AccountResync: the account as Salesforce holds it. */
    public static class FakeAccountResync {
        final List<String> reads = new CopyOnWriteArrayList<>();
        volatile boolean gone;

        public Map<String, Object> fullState(String accountId, String causationId, String correlationId) {
            reads.add(accountId);
            if (gone) {
                throw new BusinessException("unknown-account", "account " + accountId + " is not in Salesforce either");
            }
            return Map.of("id", "salesforce:resync:" + accountId + ":" + causationId,
                    "type", "revops.account.created.v1", "source", "/salesforce/sobjects/Account", "subject", accountId,
                    "time", "2026-12-01T10:00:01Z", "correlationId", correlationId, "causationId", causationId,
                    "data", Map.of("accountId", accountId, "name", "Acme", "phone", "+1 555", "deleted", false,
                            "ids", Map.of("salesforce", accountId)));
        }
    }

    /** Stands in for erp.ErpCustomers: records what the route writes. */
    public static class FakeErpCustomers {
        final List<Map<String, Object>> upserts = new CopyOnWriteArrayList<>();
        volatile int failTransiently;
        volatile boolean reject;
        volatile boolean circuitOpen;
        volatile boolean unknown;
        volatile int attempts;

        public java.util.Optional<Map<String, Object>> upsertIfKnown(Map<String, Object> party) {
            if (unknown && !party.containsKey("name")) {
                attempts++;
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(upsert(party));
        }

        public Map<String, Object> upsert(Map<String, Object> party) {
            attempts++;
            if (circuitOpen) {
                throw new CircuitOpenException("erp", null);
            }
            if (failTransiently > 0) {
                failTransiently--;
                throw new TransientFailureException("erp", "HTTP 503");
            }
            if (reject) {
                throw new BusinessException("erp-rejected", "party is on credit hold");
            }
            upserts.add(party);
            return Map.of("partyId", 7, "key", party.get("key"), "customerNumber", "C-7", "created", true);
        }
    }
}
