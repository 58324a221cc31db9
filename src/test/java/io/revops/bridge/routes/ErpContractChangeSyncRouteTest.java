package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import io.revops.bridge.erp.ErpContractChange;
import io.revops.bridge.erp.ErpContractChanges;
import io.revops.bridge.erp.ErpSale;
import io.revops.bridge.policy.PrerequisiteMissingException;
import io.revops.bridge.testing.Sql;

/** The contract change's ERP step and its policy: validate, book once, publish the ERP's answer, wait for the order. */
class ErpContractChangeSyncRouteTest extends RouteTestSupport {
    static final String REQUESTED = "revops.contract-change.requested.v1";
    static final String SALESFORCE = "/salesforce/data/OrderChangeEvent";

    private final FakeErpContractChanges erp = new FakeErpContractChanges();

    @Override
    protected String routeId() {
        return "erp-contract-change-sync";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("erpContractChanges", erp);
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveByToUri("kafka:*").replace().to("mock:kafka");
    }

    @Test
    void anAmendmentIsBookedOnceAsASaleOfItsOwnAndItsAcceptancePublishedWithBothSaleNumbers() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);

        sendEvent("c-1", REQUESTED, SALESFORCE, "00000101", change("00000105", 3));
        sendEvent("c-1", REQUESTED, SALESFORCE, "00000101", change("00000105", 3)); // Kafka delivering it again

        assertThat(erp.booked).singleElement().satisfies(sale -> {
            assertThat(sale).containsEntry("reference", "00000105").containsEntry("originalReference", "00000101")
                    .containsEntry("effectiveDate", "2026-12-15").containsEntry("lines", List.of());
            assertThat(sale.get("comments")).asList().singleElement().asString().contains("line 00000102")
                    .contains("+3").contains("from 2026-12-15");
        });
        published.assertIsSatisfied();
        var status = published.getExchanges().get(0).getMessage();
        assertThat(status.getHeader("ce_type")).isEqualTo("revops.contract-change.accepted.v1");
        assertThat(status.getHeader("ce_causationid")).isEqualTo("c-1");
        assertThat(status.getHeader("ce_correlationid")).isEqualTo("corr-00000101");
        assertThat(json.toMap(status.getBody())).containsEntry("status", "ACCEPTED")
                .containsEntry("ids", Map.of("salesforce", "801000000000005AAA", "erp", "SO2"))
                .containsEntry("originalIds", Map.of("salesforce", "801000000000001AAA", "erp", "SO1"));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aChangeOfAnOrderNotAcceptedYetWaitsAndTheOrdersNextChangeWaitsBehindIt() throws Exception {
        erp.unacceptedOrders.add("00000101");

        sendEvent("c-1", REQUESTED, SALESFORCE, "00000101", change("00000105", 3));
        sendEvent("c-2", REQUESTED, SALESFORCE, "00000101", change("00000106", 1));
        sendEvent("d-1", REQUESTED, SALESFORCE, "00000201", withOrder(change("00000205", 2), "00000201"));

        assertThat(erp.booked).as("another order's change flows on").extracting(s -> s.get("reference"))
                .containsExactly("00000205");
        assertThat(Sql.rows(dataSource, "SELECT event_id, last_reason FROM parked_event ORDER BY id"))
                .extracting(row -> row.get("event_id") + " " + row.get("last_reason"))
                .containsExactly("c-1 order-not-accepted-in-erp", "c-2 waiting-behind");

        erp.unacceptedOrders.clear(); // the ERP accepted the order
        rechecker.recheck();

        assertThat(erp.booked).extracting(s -> s.get("reference")).containsExactly("00000205", "00000105", "00000106");
        assertThat(Sql.rows(dataSource, "SELECT * FROM parked_event")).isEmpty();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void whatCannotBeCarriedOrIsMalformedIsABusinessDeadLetterWithItsCodeAndTheErpIsNeverCalled() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bad-2", "invalid-change"); // "adds" -2 seats
        sendEvent("bad-2", REQUESTED, SALESFORCE, "00000302", change("00000306", -2, "ADD"));
        expected.put("bad-3", "fractional-seats");
        sendEvent("bad-3", REQUESTED, SALESFORCE, "00000303", change("00000307", new BigDecimal("2.5"), "CHANGE_QUANTITY"));
        expected.put("bad-4", "invalid-quantity");
        sendEvent("bad-4", REQUESTED, SALESFORCE, "00000304", change("00000308", 0, "CHANGE_QUANTITY"));
        expected.put("bad-5", "invalid-event"); // a cancellation without its policy
        Map<String, Object> cancellation = new LinkedHashMap<>(change("00000309", 1));
        cancellation.remove("lines");
        cancellation.put("kind", "CANCELLATION");
        sendEvent("bad-5", REQUESTED, SALESFORCE, "00000305", cancellation);
        expected.put("bad-6", "invalid-change"); // a cancellation naming no line of the contract
        cancellation.put("cancellation", Map.of("policy", "IMMEDIATE"));
        sendEvent("bad-6", REQUESTED, SALESFORCE, "00000306", cancellation);
        expected.put("bad-7", "unknown-product");
        Map<String, Object> goldPlating = change("00000310", 1);
        ((Map<String, Object>) ((List<?>) goldPlating.get("lines")).get(0)).put("productCode", "GOLD-PLATING");
        sendEvent("bad-7", REQUESTED, SALESFORCE, "00000307", goldPlating);
        // a valid refund: filtered out for erp-credit-acceptance, so no dead letter here (absent from expected)
        Map<String, Object> refund = new LinkedHashMap<>(change("00000311", 1));
        refund.remove("lines");
        refund.put("kind", "REFUND");
        refund.put("refund", Map.of("amount", Map.of("amount", 10, "currency", "USD"), "paymentId", "p-1"));
        sendEvent("bad-8", REQUESTED, SALESFORCE, "00000308", refund);

        assertThat(erp.attempts).as("the ERP is never called").isZero();
        Map<String, String> actual = new LinkedHashMap<>();
        for (Map<String, Object> row : deadLetters()) {
            assertThat(row).containsEntry("category", "business").containsEntry("route_id", "erp-contract-change-sync");
            assertThat((String) row.get("exception_message")).isNotBlank().doesNotContain("null");
            actual.put((String) row.get("event_id"), (String) row.get("reason_code"));
        }
        assertThat(actual).isEqualTo(expected);

        sendEvent("good-1", REQUESTED, SALESFORCE, "00000101", change("00000105", 3));
        assertThat(erp.booked).as("a good change still flows").hasSize(1);
    }

    @Test
    void anErpRejectionIsPublishedWithItsReasonAndParked() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);
        erp.rejectWith = "credit-hold";

        sendEvent("c-5", REQUESTED, SALESFORCE, "00000101", change("00000105", 3));

        published.assertIsSatisfied();
        assertThat(published.getExchanges().get(0).getMessage().getHeader("ce_type"))
                .isEqualTo("revops.contract-change.rejected.v1");
        assertThat(json.toMap(published.getExchanges().get(0).getMessage().getBody()))
                .containsEntry("status", "REJECTED").containsEntry("statusReason", "credit-hold: credit limit exceeded");
        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("category", "business").containsEntry("reason_code", "credit-hold");
            assertThat((String) row.get("exception_message")).contains("contract change 00000105").contains("sale SO1");
        });
    }

    @Test
    void otherEventsOfTheTopicAreNotForThisRoute() throws Exception {
        Map<String, Object> accepted = new LinkedHashMap<>(change("00000105", 3));
        accepted.put("status", "ACCEPTED");
        sendEvent("a-1", "revops.contract-change.accepted.v1", "/erp/tryton/sale", "00000101", accepted);
        assertThat(erp.attempts).isZero();
        assertThat(deadLetters()).isEmpty();
    }

    static Map<String, Object> change(String changeId, Object seats) {
        return change(changeId, seats, "CHANGE_QUANTITY");
    }

    static Map<String, Object> change(String changeId, Object seats, String action) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("lineId", "00000107");
        if (!action.equals("ADD")) {
            line.put("originalLineId", "00000102");
        }
        line.put("action", action);
        line.put("productCode", "STANDARD");
        line.put("quantityDelta", seats);
        line.put("unitPrice", Map.of("amount", 10, "currency", "USD"));
        line.put("chargeType", "RECURRING");
        line.put("billingPeriod", "MONTHLY");
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("changeId", changeId);
        change.put("orderNumber", "00000101");
        change.put("accountId", "001000000000001AAA");
        change.put("kind", "AMENDMENT");
        change.put("status", "REQUESTED");
        change.put("effectiveDate", "2026-12-15");
        change.put("currency", "USD");
        change.put("lines", new ArrayList<>(List.of(line)));
        change.put("ids", Map.of("salesforce", "801000000000005AAA"));
        change.put("originalIds", Map.of("salesforce", "801000000000001AAA"));
        return change;
    }

    static Map<String, Object> withOrder(Map<String, Object> change, String orderNumber) {
        change.put("orderNumber", orderNumber);
        return change;
    }

    /** The ERP's contract change API: books per reference, waits while the original order is not accepted. */
    public static class FakeErpContractChanges {
        final List<Map<String, Object>> booked = new CopyOnWriteArrayList<>();
        final Set<String> unacceptedOrders = ConcurrentHashMap.newKeySet();
        volatile String rejectWith;
        volatile int attempts;

        public ErpContractChange book(Map<String, Object> change) {
            attempts++;
            String original = (String) change.get("originalReference");
            if (unacceptedOrders.contains(original)) {
                throw new PrerequisiteMissingException("order-not-accepted-in-erp", "order " + original + " is not accepted yet");
            }
            String reference = (String) change.get("reference");
            if (rejectWith != null) {
                return new ErpContractChange(new ErpSale(0, reference, null, null, false, rejectWith, "credit limit exceeded"), "SO1");
            }
            booked.add(change);
            return new ErpContractChange(new ErpSale(2, reference, "SO2", "processing", true, null, null), "SO1");
        }

        /** The real rule: a rejection is a business exception once published. */
        public void requireAccepted(ErpContractChange booking) {
            new ErpContractChanges(null, null).requireAccepted(booking);
        }
    }
}
