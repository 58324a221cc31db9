package io.revops.bridge.flows;

import static io.restassured.RestAssured.given;
import static io.revops.bridge.testing.SandboxSalesforce.activatedOrder;
import static io.revops.bridge.testing.SandboxSalesforce.orderLine;
import static io.revops.bridge.testing.SandboxSalesforce.orderNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.revops.bridge.billing.BillingAccounts;
import io.revops.bridge.erp.ErpCustomers;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * GET /api/v1/orders/{orderNumber}: an order with an amendment (+2 seats) and a reduction (-1 seat), driven through
 * the emulated org as a sales rep would, then read through the operations API and compared with what each emulated
 * system holds. Also: a system that does not answer, an unknown order, a hostile order number, no credentials.
 */
@QuarkusTest
class OrderContractViewTest {
    private static final Duration FLOW = Duration.ofSeconds(60);

    @Inject
    Sandbox sandbox;
    @Inject
    ErpCustomers erp;
    @Inject
    BillingAccounts billing;

    private SalesforceRest salesforce;

    @BeforeEach
    void connect() {
        salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
    }

    @Test
    void theWholeContractAsEachSystemHoldsItWithTheLineageOfEachChange() {
        String account = syncedAccount("Whole Contract Inc");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 3, 10, "Monthly"));
        String order = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 3"));
        String amendmentId = change(account, orderId, 2, false);
        String amendment = orderNumber(salesforce, amendmentId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", amendmentId).path("Billing_Status__c").asText().startsWith("Active: 2"));
        String reductionId = change(account, orderId, -1, true);
        String reduction = orderNumber(salesforce, reductionId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", reductionId).path("Billing_Status__c").asText()
                .contains("1 seat(s) cancelled"));
        // every Kill Bill invoice of the contract (one per seat started) booked in the ERP
        await().atMost(FLOW).until(() -> view(order).getList("erp.invoices").size() == 5);

        JsonPath view = view(order);

        assertThat(view.getString("orderNumber")).isEqualTo(order);
        assertThat(view.getList("changes", String.class)).containsExactly(amendment, reduction);
        // Salesforce: the order, its two changes and where each stands
        assertThat(view.getString("salesforce.systemOfRecord")).isEqualTo("salesforce");
        assertThat(view.getBoolean("salesforce.available")).isTrue();
        assertThat(view.getString("salesforce.order.Id")).isEqualTo(orderId);
        assertThat(view.getString("salesforce.order.ERP_Sale_Number__c"))
                .isEqualTo(salesforce.get("Order", orderId).path("ERP_Sale_Number__c").asText());
        assertThat(view.getString("salesforce.order.Contract_Change_Status__c")).startsWith(reduction + " AMENDMENT");
        assertThat(view.getList("salesforce.changes.kind", String.class)).containsExactly("AMENDMENT", "REDUCTION");
        assertThat(view.getList("salesforce.changes.correlationId", String.class))
                .containsExactly("change-" + amendment, "change-" + reduction);
        assertThat(view.getList("salesforce.changes.ERP_Status__c", String.class)).containsOnly("Accepted");
        // ERP: the order's sale, the amendment's and the return sale, as Tryton holds them
        List<Map<String, Object>> sales = sandbox.tryton().sales().stream()
                .filter(s -> List.of(order, amendment, reduction).contains(s.get("reference"))).toList();
        assertThat(view.getList("erp.sales.reference", String.class)).containsExactlyInAnyOrder(order, amendment, reduction);
        assertThat(view.getList("erp.sales.number", String.class))
                .containsExactlyInAnyOrderElementsOf(sales.stream().map(s -> (String) s.get("number")).toList());
        assertThat(view.getList("erp.sales.state", String.class)).containsOnly("processing");
        // billing: 3 seats of the order and the amendment's 2 (the last added one cancelled at the end of the term)
        List<Map<String, Object>> seats = view.getList("billing.subscriptions");
        assertThat(seats).hasSize(5);
        assertThat(seats).filteredOn(s -> String.valueOf(s.get("externalKey")).startsWith(amendment + "-")).hasSize(2);
        assertThat(seats).filteredOn(s -> s.get("cancelledDate") != null).singleElement()
                .satisfies(s -> assertThat((String) s.get("externalKey")).startsWith(amendment + "-").endsWith("-2"));
        assertThat(seats).extracting(s -> s.get("planName")).containsOnly("standard-monthly");
        assertThat(view.getList("billing.seats")).singleElement().isEqualTo(
                Map.of("planName", "standard-monthly", "subscribed", 5, "cancelled", 1, "remaining", 4));
        assertThat(view.getList("billing.invoices")).hasSize(5);
        assertThat(view.getString("billing.balance")).isEqualTo("50.00");
        // the ERP's bookings of those invoices, each seat's revenue deferred over its service period
        assertThat(view.getList("erp.invoices.reference", String.class))
                .containsExactlyInAnyOrderElementsOf(view.getList("billing.invoices.invoiceNumber", String.class));
        assertThat(view.getString("erp.amountToPay")).isEqualTo("50.00");
        List<Map<String, Object>> schedules = view.getList("erp.invoices.revenueSchedules.flatten()");
        assertThat(schedules).hasSize(5).allSatisfy(schedule -> {
            assertThat(schedule).containsEntry("start", LocalDate.now().toString()).containsEntry("state", "closed");
            assertThat(schedule.get("amount")).isEqualTo(10.00f);
        });
        // lineage: one correlation id for the order, one per change
        assertThat(view.getList("lineage.changes.correlationId", String.class))
                .contains("order-" + order, "change-" + amendment, "change-" + reduction);
        assertThat(view.getList("lineage.changes.timeline", String.class))
                .contains("/api/v1/lineage?correlationId=change-" + amendment);
    }

    @Test
    void aSystemThatDoesNotAnswerMakesItsPartSaySoAndTheOthersStillAnswer() {
        String account = syncedAccount("Half Answer Ltd");
        String orderId = activatedOrder(salesforce, account, orderLine("STANDARD", "Recurring", 1, 10, "Monthly"));
        String order = orderNumber(salesforce, orderId);
        await().atMost(FLOW).until(() -> salesforce.get("Order", orderId).path("Billing_Status__c").asText().startsWith("Active: 1"));
        sandbox.tryton().failNextCalls("model.sale.sale.search_read", 1, 503);

        JsonPath view = view(order);

        assertThat(view.getBoolean("erp.available")).isFalse();
        assertThat(view.getString("erp.systemOfRecord")).isEqualTo("erp");
        assertThat(view.getString("erp.error")).startsWith("erp did not answer").contains("503");
        assertThat(view.getBoolean("salesforce.available")).isTrue();
        assertThat(view.getBoolean("billing.available")).isTrue();
        assertThat(view.getList("billing.subscriptions")).hasSize(1);
    }

    @Test
    void anUnknownOrderIsNotFoundAndAHostileNumberIsRefused() {
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/orders/99999999")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.equalTo(404))
                .body("detail", org.hamcrest.Matchers.containsString("no order 99999999"));
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/orders/0' OR Name != '")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void withoutCredentialsNothingIsShown() {
        given().get("/api/v1/orders/00000001").then().statusCode(401);
        given().auth().preemptive().basic("viewer", "wrong").get("/api/v1/orders/00000001").then().statusCode(401);
    }

    private static JsonPath view(String orderNumber) {
        return given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/orders/" + orderNumber)
                .then().statusCode(200).extract().jsonPath();
    }

    /** An amendment (+seats) or a reduction order (-seats) of the order's first product, activated. */
    private String change(String account, String orderId, int seats, boolean reduction) {
        Map<String, Object> original = sandbox.salesforce().records("OrderItem").stream()
                .filter(i -> orderId.equals(i.get("OrderId"))).findFirst().orElseThrow();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AccountId", account);
        order.put("Status", "Draft");
        if (reduction) {
            order.put("IsReductionOrder", true);
            order.put("OriginalOrderId", orderId);
        } else {
            order.put("Type", "Amendment");
            order.put("Amended_Order__c", orderId);
        }
        order.put("EffectiveDate", LocalDate.now().toString());
        order.put("CurrencyIsoCode", "USD");
        order.put("TotalAmount", seats * 10.0);
        String changeId = salesforce.create("Order", order);
        Map<String, Object> item = new LinkedHashMap<>(orderLine("STANDARD", "Recurring", seats, 10, "Monthly"));
        item.put("OrderId", changeId);
        item.put(reduction ? "OriginalOrderItemId" : "Amended_Order_Item__c", original.get("Id"));
        salesforce.create("OrderItem", item);
        salesforce.update("Order", changeId, Map.of("Status", "Activated"));
        return changeId;
    }

    private String syncedAccount(String name) {
        return SandboxSalesforce.syncedAccount(salesforce, name, erp, billing);
    }
}
