package io.revops.bridge.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * Validation at the boundaries, black-box: what Salesforce lets a user type and what an attacker puts straight on
 * Kafka never becomes a wrong business effect. Each refusal is one business dead letter naming what is wrong, and
 * the traffic behind it flows. Outcomes are read in the emulators, the broker and the dead-letter store.
 */
@QuarkusTest
class HostileInputTest {
    private static final Duration FLOW = Duration.ofSeconds(45);
    private static final String ORDERS = "revops.order.v1";
    private static final List<String> ORDER_CONSUMERS = List.of("erp-order-sync", "billing-order-activation",
            "salesforce-order-writeback");

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private SalesforceRest salesforce;

    @BeforeEach
    void login() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
    }

    @Test
    void anAccountNameWithControlCharactersIsDeadLetteredAtTheInboundRouteAndTheNextAccountFlows() throws Exception {
        // a real org takes tabs and other control characters in a name (it refuses only what is over 255 characters)
        assertThatThrownBy(() -> salesforce.create("Account", account("N".repeat(300)))).hasMessageContaining("STRING_TOO_LONG");
        String bad = salesforce.create("Account", account("Tabbed\tName\u0007 Ltd"));
        String good = salesforce.create("Account", account("Sensible Names Ltd"));

        await().atMost(FLOW).until(() -> erp.find(good), Optional::isPresent);
        Map<String, Object> deadLetter = await().atMost(FLOW).until(() -> deadLettersFor(bad), l -> !l.isEmpty()).get(0);
        assertThat(deadLetter).containsEntry("route_id", "salesforce-account-inbound").containsEntry("category", "business")
                .containsEntry("reason_code", "invalid-account-name");
        assertThat((String) deadLetter.get("exception_message")).contains("/name: the name contains control characters");
        assertThat(deadLettersFor(bad)).hasSize(1);
        assertThat(partiesWithKey(bad)).as("nothing reached the ERP").isEmpty();
        assertThat(new KafkaTopic(bootstrap, "revops.account.v1").readAll()).as("nothing reached Kafka")
                .noneMatch(event -> bad.equals(event.key()));
    }

    @Test
    void twoAndAHalfSeatsAreRefusedBeforeAnyEventOrSale() throws Exception {
        String account = salesforce.create("Account", account("Half Seats Inc"));
        await().atMost(FLOW).until(() -> erp.find(account), Optional::isPresent);
        String orderId = activatedOrder(account, 2.5, 25);
        String orderNumber = salesforce.get("Order", orderId).path("OrderNumber").asText();

        Map<String, Object> deadLetter = await().atMost(FLOW).until(() -> deadLettersFor(orderNumber), l -> !l.isEmpty()).get(0);
        assertThat(deadLetter).containsEntry("route_id", "salesforce-order-inbound").containsEntry("category", "business")
                .containsEntry("reason_code", "fractional-seats");
        assertThat(salesOf(orderNumber)).isEmpty();
        assertThat(new KafkaTopic(bootstrap, ORDERS).readAll()).noneMatch(event -> orderNumber.equals(event.header("ce_subject")));

        String wholeSeats = salesforce.get("Order", activatedOrder(account, 3, 30)).path("OrderNumber").asText();
        await().atMost(FLOW).until(() -> salesOf(wholeSeats).size() == 1);
    }

    @Test
    void aBadOrderPutStraightOnKafkaIsOneDeadLetterNoSaleAndEveryConsumerMovesOn() throws Exception {
        KafkaTopic topic = new KafkaTopic(bootstrap, ORDERS);
        String orderNumber = "HOSTILE-1";
        topic.publish(new KafkaTopic.Event(0, 0, "001HOSTILE000001", """
                {"orderNumber": "HOSTILE-1", "accountId": "001HOSTILE000001", "status": "ACTIVATED", "currency": "USD",
                 "lines": [{"lineId": "1", "productCode": "ONBOARDING", "quantity": -1,
                            "unitPrice": {"amount": 500, "currency": "USD"}, "chargeType": "ONE_TIME"}]}""",
                headers("hostile-order-1", orderNumber)));

        Map<String, Object> deadLetter = await().atMost(FLOW).until(() -> deadLettersFor(orderNumber), l -> !l.isEmpty()).get(0);
        KafkaTopic.Event event = topic.readAll().stream().filter(e -> "hostile-order-1".equals(e.header("ce_id")))
                .findFirst().orElseThrow();
        await().atMost(FLOW).until(() -> ORDER_CONSUMERS.stream()
                .allMatch(group -> topic.committedOffset(group, event.partition()) > event.offset()));
        assertThat(deadLetter).containsEntry("route_id", "billing-order-activation").containsEntry("category", "business")
                .containsEntry("reason_code", "invalid-quantity");
        assertThat((String) deadLetter.get("exception_message")).startsWith("/lines/0/quantity: -1");
        assertThat(deadLettersFor(orderNumber)).as("one dead letter, not one per consuming route").hasSize(1);
        assertThat(salesOf(orderNumber)).isEmpty();
    }

    private String activatedOrder(String account, double seats, double total) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AccountId", account);
        order.put("Status", "Draft");
        order.put("EffectiveDate", LocalDate.now().toString());
        order.put("CurrencyIsoCode", "USD");
        order.put("TotalAmount", total);
        String orderId = salesforce.create("Order", order);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("OrderId", orderId);
        item.put("Product_Code__c", "STANDARD");
        item.put("Description", "Standard seats");
        item.put("Quantity", seats);
        item.put("UnitPrice", 10);
        item.put("Charge_Type__c", "Recurring");
        item.put("Billing_Frequency__c", "Monthly");
        item.put("Term_Months__c", 12);
        salesforce.create("OrderItem", item);
        salesforce.update("Order", orderId, Map.of("Status", "Activated"));
        return orderId;
    }

    private static Map<String, String> headers(String id, String subject) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", id);
        headers.put("ce_type", "revops.order.activated.v1");
        headers.put("ce_source", "/salesforce/data/OrderChangeEvent");
        headers.put("ce_subject", subject);
        headers.put("ce_time", "2026-11-22T10:00:00Z");
        headers.put("ce_correlationid", "order-" + subject);
        return headers;
    }

    private static Map<String, Object> account(String name) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", name);
        fields.put("BillingCity", "Springfield");
        fields.put("CurrencyIsoCode", "USD");
        return fields;
    }

    private List<Map<String, Object>> partiesWithKey(String key) {
        return sandbox.tryton().parties().stream().filter(p -> ((List<?>) p.get("identifiers")).contains(key)).toList();
    }

    private List<Map<String, Object>> salesOf(String orderNumber) {
        return sandbox.tryton().sales().stream().filter(s -> orderNumber.equals(s.get("reference"))).toList();
    }

    private List<Map<String, Object>> deadLettersFor(String businessKey) throws Exception {
        return Sql.rows(dataSource, "SELECT * FROM dead_letter WHERE business_key = ?", businessKey);
    }
}
