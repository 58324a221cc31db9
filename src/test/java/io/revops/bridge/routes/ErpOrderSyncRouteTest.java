package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import io.revops.bridge.erp.ErpSale;
import io.revops.bridge.erp.OrderAcceptance;
import io.revops.bridge.policy.PrerequisiteMissingException;
import io.revops.bridge.policy.TransientFailureException;

/** The order orchestration's ERP step and its policy: validate, place once, publish the ERP's answer, wait, park. */
class ErpOrderSyncRouteTest extends RouteTestSupport {
    private static final String ACTIVATED = "revops.order.activated.v1";
    private static final String SALESFORCE = "/salesforce/data/OrderChangeEvent";

    private final FakeErpSales erp = new FakeErpSales();

    @Override
    protected String routeId() {
        return "erp-order-sync";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("erpSales", erp, "orderAcceptance", new OrderAcceptance());
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveByToUri("kafka:*").replace().to("mock:kafka");
    }

    @Test
    void anAcceptedOrderIsPlacedOnceAndItsAcceptancePublishedWithTheSaleNumber() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);

        sendEvent("o-1", ACTIVATED, SALESFORCE, "00000101", order("ONBOARDING"));
        sendEvent("o-1", ACTIVATED, SALESFORCE, "00000101", order("ONBOARDING"));

        assertThat(erp.placed).singleElement().satisfies(sale -> assertThat(sale).containsEntry("reference", "00000101")
                .containsEntry("customerKey", "001000000000001AAA"));
        published.assertIsSatisfied();
        var status = published.getExchanges().get(0).getMessage();
        assertThat(status.getHeader("ce_type")).isEqualTo("revops.order.accepted.v1");
        assertThat(status.getHeader("ce_causationid")).isEqualTo("o-1");
        assertThat(json.toMap(status.getBody())).containsEntry("status", "ACCEPTED")
                .containsEntry("ids", Map.of("salesforce", "801000000000001AAA", "erp", "SO1"));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void anUnknownProductIsABusinessDeadLetterAndTheErpIsNeverCalled() throws Exception {
        sendEvent("o-2", ACTIVATED, SALESFORCE, "00000102", order("GOLD-PLATING"));

        assertThat(erp.attempts).isZero();
        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("category", "business").containsEntry("reason_code", "unknown-product");
            assertThat((String) row.get("exception_message")).contains("GOLD-PLATING");
        });
    }

    @Test
    void aBadOrderNeverBecomesAnErpSaleButABusinessDeadLetterWithItsCode() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(0);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bad-1", "invalid-quantity");
        sendEvent("bad-1", ACTIVATED, SALESFORCE, "00000201", withLine(line("ONE_TIME", -1, 500), null));
        expected.put("bad-2", "invalid-quantity");
        sendEvent("bad-2", ACTIVATED, SALESFORCE, "00000202", withLine(line("ONE_TIME", 0, 500), null));
        expected.put("bad-3", "invalid-quantity");
        sendEvent("bad-3", ACTIVATED, SALESFORCE, "00000203", withLine(line("ONE_TIME", new BigDecimal("1e300"), 500), null));
        expected.put("bad-4", "negative-price");
        sendEvent("bad-4", ACTIVATED, SALESFORCE, "00000204", withLine(line("ONE_TIME", 1, -500), null));
        expected.put("bad-5", "order-without-lines");
        sendEvent("bad-5", ACTIVATED, SALESFORCE, "00000205", withLines(List.of()));
        expected.put("bad-6", "order-without-lines");
        sendEvent("bad-6", ACTIVATED, SALESFORCE, "00000206", withLines(Collections.singletonList(null)));
        expected.put("bad-7", "fractional-seats");
        sendEvent("bad-7", ACTIVATED, SALESFORCE, "00000207", withLine(line("RECURRING", new BigDecimal("2.5"), 10), 25));
        expected.put("bad-8", "invalid-event");
        sendEvent("bad-8", ACTIVATED, SALESFORCE, "00000208", withLine(line("ONE_TIME", "ten", 500), null));

        assertThat(erp.attempts).as("the ERP is never called").isZero();
        published.assertIsSatisfied();
        Map<String, String> actual = new LinkedHashMap<>();
        for (Map<String, Object> row : deadLetters()) {
            assertThat(row).containsEntry("category", "business").containsEntry("route_id", "erp-order-sync");
            assertThat((String) row.get("exception_message")).startsWith("/lines");
            actual.put((String) row.get("event_id"), (String) row.get("reason_code"));
        }
        assertThat(actual).isEqualTo(expected);

        sendEvent("good-1", ACTIVATED, SALESFORCE, "00000101", order("ONBOARDING"));
        assertThat(erp.placed).as("a good order still flows").hasSize(1);
    }

    @Test
    void anOrderWhoseCustomerIsNotInTheErpYetWaitsInKafkaInsteadOfFailing() throws Exception {
        erp.customerMissing = true;
        assertThatThrownBy(() -> sendEvent("o-3", ACTIVATED, SALESFORCE, "00000103", order("ONBOARDING"),
                Instant.now().toString())).hasRootCauseInstanceOf(PrerequisiteMissingException.class);
        assertThat(erp.attempts).as("the first try and 2 re-checks, then back to Kafka").isEqualTo(3);
        assertThat(deadLetters()).isEmpty();

        erp.customerMissing = false; // the account reached the ERP; Kafka delivers the order again
        sendEvent("o-3", ACTIVATED, SALESFORCE, "00000103", order("ONBOARDING"), Instant.now().toString());
        assertThat(erp.placed).hasSize(1);
    }

    @Test
    void anOrderThatWaitedLongerThanTheLimitBecomesABusinessDeadLetter() throws Exception {
        erp.customerMissing = true;
        sendEvent("o-4", ACTIVATED, SALESFORCE, "00000104", order("ONBOARDING"), Instant.now().minusSeconds(3600).toString());

        assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row).containsEntry("category", "business")
                .containsEntry("reason_code", "customer-not-in-erp"));
    }

    @Test
    void anErpRejectionIsPublishedWithItsReasonAndParked() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);
        erp.rejectWith = "credit-hold";

        sendEvent("o-5", ACTIVATED, SALESFORCE, "00000105", order("ONBOARDING"));

        published.assertIsSatisfied();
        assertThat(published.getExchanges().get(0).getMessage().getHeader("ce_type")).isEqualTo("revops.order.rejected.v1");
        assertThat(json.toMap(published.getExchanges().get(0).getMessage().getBody()))
                .containsEntry("status", "REJECTED").containsEntry("statusReason", "credit-hold: credit limit exceeded");
        assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row).containsEntry("category", "business")
                .containsEntry("reason_code", "credit-hold"));
    }

    @Test
    void erpOutagesAreRedeliveredWithBackoff() throws Exception {
        erp.failTransiently = 2;
        sendEvent("o-6", ACTIVATED, SALESFORCE, "00000106", order("ONBOARDING"));
        assertThat(erp.attempts).isEqualTo(3);
        assertThat(erp.placed).hasSize(1);
        assertThat(deadLetters()).isEmpty();
    }

    private static Map<String, Object> order(String product) {
        return Map.of("orderNumber", "00000101", "accountId", "001000000000001AAA", "status", "ACTIVATED",
                "currency", "USD", "totalAmount", Map.of("amount", 500, "currency", "USD"),
                "lines", List.of(Map.of("lineId", "00000101", "productCode", product, "quantity", 1,
                        "unitPrice", Map.of("amount", 500, "currency", "USD"), "chargeType", "ONE_TIME")),
                "ids", Map.of("salesforce", "801000000000001AAA"));
    }

    private static Map<String, Object> line(String chargeType, Object quantity, Object price) {
        Map<String, Object> line = new LinkedHashMap<>(Map.of("lineId", "1", "productCode",
                chargeType.equals("ONE_TIME") ? "ONBOARDING" : "STANDARD", "quantity", quantity,
                "unitPrice", Map.of("amount", price, "currency", "USD"), "chargeType", chargeType));
        if (chargeType.equals("RECURRING")) {
            line.put("billingPeriod", "MONTHLY");
        }
        return line;
    }

    /** An order of one line; with its total when given (else none, so only the line's own rules speak). */
    private static Map<String, Object> withLine(Map<String, Object> line, Object total) {
        Map<String, Object> order = withLines(List.of(line));
        if (total != null) {
            order.put("totalAmount", Map.of("amount", total, "currency", "USD"));
        }
        return order;
    }

    private static Map<String, Object> withLines(List<Object> lines) {
        Map<String, Object> order = new LinkedHashMap<>(order("ONBOARDING"));
        order.remove("totalAmount");
        order.put("lines", lines);
        return order;
    }

    /** Stands in for erp.ErpSales. */
    public static class FakeErpSales {
        final List<Map<String, Object>> placed = new CopyOnWriteArrayList<>();
        volatile boolean customerMissing;
        volatile int failTransiently;
        volatile String rejectWith;
        volatile int attempts;

        public ErpSale place(Map<String, Object> sale) {
            attempts++;
            if (customerMissing) {
                throw new PrerequisiteMissingException("customer-not-in-erp", "account has no ERP customer yet");
            }
            if (failTransiently > 0) {
                failTransiently--;
                throw new TransientFailureException("erp", "HTTP 503");
            }
            String reference = (String) sale.get("reference");
            if (rejectWith != null) {
                return new ErpSale(0, reference, null, null, false, rejectWith, "credit limit exceeded");
            }
            placed.add(sale);
            return new ErpSale(1, reference, "SO1", "processing", true, null, null);
        }
    }
}
