package io.revops.bridge.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.erp.ErpCustomer;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * An update for an account neither the ERP nor billing holds (its creation has not reached them: here it is still
 * in Salesforce's change stream, behind a stopped subscription) is no dead letter: the account is read from
 * Salesforce and published in full, both targets create it with the update in it, the customer number goes back to
 * Salesforce, and when the creation arrives after all, nothing is created twice.
 */
@QuarkusTest
class AccountResyncTest {
    private static final Duration SYNC = Duration.ofSeconds(30);
    private static final String INBOUND = "salesforce-account-inbound";

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    CamelContext camel;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void anUpdateBeforeTheCreationResyncsTheAccountFromSalesforceIntoErpAndBilling() throws Exception {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        camel.getRouteController().stopRoute(INBOUND);
        String id;
        try {
            id = salesforce.create("Account", account("Pied Piper", "Palo Alto"));
            salesforce.update("Account", id, Map.of("Phone", "+1 555 0199"));
            KafkaTopic accounts = new KafkaTopic(bootstrap, "revops.account.v1");
            accounts.publish(new KafkaTopic.Event(0, 0, id, """
                    {"accountId":"%s","phone":"+1 555 0199","deleted":false,"changedAttributes":["phone"]}""".formatted(id),
                    headers("update-before-create-" + id, id)));

            ErpCustomer customer = await().atMost(SYNC).until(() -> erp.find(id), Optional::isPresent).get();
            await().atMost(SYNC).untilAsserted(() -> {
                assertThat(party(id)).containsEntry("name", "Pied Piper");
                assertThat(killBillAccounts(id)).singleElement().satisfies(a -> assertThat(a)
                        .containsEntry("name", "Pied Piper").containsEntry("phone", "+1 555 0199")
                        .containsEntry("city", "Palo Alto"));
                assertThat(salesforce.get("Account", id).path("ERP_Customer_Number__c").asText())
                        .isEqualTo(customer.customerNumber());
            });
            assertThat(accounts.readAll()).filteredOn(e -> id.equals(e.key()) && "/salesforce/sobjects/Account".equals(e.header("ce_source")))
                    .as("one resync event per target that missed the account, under one id")
                    .extracting(e -> e.header("ce_id")).containsOnly("salesforce:resync:" + id + ":update-before-create-" + id);
        } finally {
            camel.getRouteController().startRoute(INBOUND);
        }

        // the creation arrives after all: applied as an update of what is there
        KafkaTopic accounts = new KafkaTopic(bootstrap, "revops.account.v1");
        KafkaTopic.Event creation = await().atMost(SYNC).until(() -> accounts.readAll().stream()
                .filter(e -> id.equals(e.key()) && "revops.account.created.v1".equals(e.header("ce_type"))
                        && "/salesforce/data/AccountChangeEvent".equals(e.header("ce_source"))).findFirst(),
                Optional::isPresent).get();
        await().atMost(SYNC).until(() -> accounts.committedOffset("erp-account-sync", creation.partition()) > creation.offset()
                && accounts.committedOffset("billing-account-sync", creation.partition()) > creation.offset());
        assertThat(partiesWithKey(id)).hasSize(1);
        assertThat(killBillAccounts(id)).hasSize(1);
        assertThat(Sql.rows(dataSource, "SELECT * FROM dead_letter WHERE business_key = ?", id)).isEmpty();
    }

    private static Map<String, String> headers(String eventId, String accountId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", eventId);
        headers.put("ce_type", "revops.account.updated.v1");
        headers.put("ce_source", "/salesforce/data/AccountChangeEvent");
        headers.put("ce_subject", accountId);
        headers.put("ce_time", "2026-12-01T10:00:00Z");
        headers.put("ce_correlationid", eventId);
        return headers;
    }

    private List<Map<String, Object>> partiesWithKey(String key) {
        return sandbox.tryton().parties().stream().filter(p -> ((List<?>) p.get("identifiers")).contains(key)).toList();
    }

    private Map<String, Object> party(String key) {
        return partiesWithKey(key).stream().findFirst().orElseThrow();
    }

    private List<Map<String, Object>> killBillAccounts(String externalKey) {
        return sandbox.killBill().accounts().stream().filter(a -> externalKey.equals(a.get("externalKey"))).toList();
    }

    private static Map<String, Object> account(String name, String city) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", name);
        fields.put("BillingStreet", "5230 Newell Road");
        fields.put("BillingCity", city);
        fields.put("BillingPostalCode", "94303");
        fields.put("CurrencyIsoCode", "USD");
        return fields;
    }
}
