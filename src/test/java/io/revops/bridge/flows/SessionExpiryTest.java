package io.revops.bridge.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * The runtime's Salesforce session expires every few seconds (as a real org's does after its session timeout) while
 * accounts flow in through the Pub/Sub subscription and their ERP customer numbers go back out through REST:
 * camel-salesforce answers REST's INVALID_SESSION_ID and the subscription's auth error by logging in again (and
 * replaying the request, resubscribing from its last replay id), and no account is lost or applied twice anywhere.
 */
@QuarkusTest
@TestProfile(SessionExpiryTest.ShortSessions.class)
class SessionExpiryTest {
    private static final Duration SESSION = Duration.ofSeconds(4);
    private static final Duration SYNC = Duration.ofSeconds(45);
    private static final String ACCOUNT_EVENTS = "/data/AccountChangeEvent";

    /**
     * Its own database: the default profile's in-memory one outlives that app in this JVM, and its replay checkpoint
     * names an event of an org that is gone (each app start has a fresh emulated org). Overrides of settings that
     * application.properties gives per profile must name the profile too (%test.x wins over x).
     */
    public static class ShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("revops.sandbox.salesforce.session-timeout", SESSION.toString(),
                    "%test.quarkus.datasource.jdbc.url", "jdbc:h2:mem:revops-short-sessions;DB_CLOSE_DELAY=-1");
        }
    }

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;

    @Test
    void accountsKeepFlowingAcrossSessionExpiriesAndEachReachesEverySystemOnce() {
        SalesforceRest rep = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        int sessionsBefore = sandbox.salesforce().sessionsIssued();
        Instant start = Instant.now();
        List<String> accounts = new ArrayList<>();
        // one account after another for at least three session lifetimes: each expiry lands between or during them
        while (Duration.between(start, Instant.now()).compareTo(SESSION.multipliedBy(3)) < 0 || accounts.size() < 6) {
            String id = rep.create("Account", account("Expiring " + accounts.size()));
            accounts.add(id);
            await().atMost(SYNC).until(() -> erp.find(id).isPresent());
        }

        await().atMost(SYNC).untilAsserted(() -> {
            for (String id : accounts) {
                assertThat(sandbox.tryton().parties()).as("ERP parties of " + id)
                        .filteredOn(p -> ((List<?>) p.get("identifiers")).contains(id)).hasSize(1);
                assertThat(sandbox.killBill().accounts()).as("billing accounts of " + id)
                        .filteredOn(a -> id.equals(a.get("externalKey"))).hasSize(1);
                assertThat(sandbox.salesforce().record("Account", id).get("ERP_Customer_Number__c")).as("write-back of " + id)
                        .isEqualTo(erp.find(id).orElseThrow().customerNumber());
                assertThat(writeBacks(id)).as("write-backs of " + id).isEqualTo(1);
            }
        });
        assertThat(sandbox.salesforce().sessionsIssued() - sessionsBefore)
                .as("logins after expiries (the runtime's REST session, its subscriptions', the sales rep's)").isGreaterThan(2);
        // between an auth error and its resubscription there is none for a moment; a stale stream left open would be 2
        await().atMost(SYNC).until(() -> sandbox.salesforce().subscriptions(ACCOUNT_EVENTS) == 1);
    }

    /** Salesforce's own record of writes of the customer number: UPDATE change events that carry it. */
    private long writeBacks(String accountId) {
        return sandbox.salesforce().changeEventsOf(ACCOUNT_EVENTS, accountId).stream()
                .filter(event -> "UPDATE".equals(String.valueOf(((GenericRecord) event.get("ChangeEventHeader")).get("changeType"))))
                .filter(event -> event.get("ERP_Customer_Number__c") != null).count();
    }

    private static Map<String, Object> account(String name) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", name);
        fields.put("BillingStreet", "1 Expiry Lane");
        fields.put("BillingCity", "Timeout");
        fields.put("BillingPostalCode", "40101");
        fields.put("BillingCountry", "US");
        fields.put("CurrencyIsoCode", "USD");
        return fields;
    }
}
