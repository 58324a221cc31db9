package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
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
import io.revops.bridge.testing.Sql;

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
    void anOrderWaitingForItsCustomerIsParkedPerKeyWhileOtherOrdersFlowOn() throws Exception {
        erp.missingCustomers.add("001000000000001AAA");

        sendEvent("a-1", ACTIVATED, SALESFORCE, "00000201", order("00000201", "001000000000001AAA", "ONBOARDING"));
        sendEvent("b-1", ACTIVATED, SALESFORCE, "00000202", order("00000202", "001000000000002AAA", "ONBOARDING"));
        // the same order again (edited), with a customer the ERP has: it still waits behind its first event
        sendEvent("a-2", ACTIVATED, SALESFORCE, "00000201", order("00000201", "001000000000002AAA", "ONBOARDING"));

        assertThat(erp.placed).as("B behind A on the same partition, applied at once")
                .extracting(sale -> sale.get("reference")).containsExactly("00000202");
        assertThat(parked()).extracting(row -> row.get("event_id")).containsExactly("a-1", "a-2");
        assertThat(parked()).extracting(row -> row.get("last_reason")).containsExactly("customer-not-in-erp", "waiting-behind");
        assertThat(processedIds()).as("parked events are not applied yet").containsExactly("b-1");
        assertThat(meters.get("revops.parked.events").gauge().value()).isEqualTo(2);
        assertThat(deadLetters()).isEmpty();

        rechecker.recheck(); // still missing: both stay, in order
        assertThat(parked()).extracting(row -> row.get("event_id")).containsExactly("a-1", "a-2");
        assertThat(parked().get(0).get("attempts")).isEqualTo(2);

        erp.missingCustomers.clear(); // the account reached the ERP
        assertThat(rechecker.recheck()).isEqualTo(2);

        assertThat(erp.placed).extracting(sale -> sale.get("customerKey"))
                .containsExactly("001000000000002AAA", "001000000000001AAA", "001000000000002AAA");
        assertThat(parked()).isEmpty();
        assertThat(processedIds()).containsExactlyInAnyOrder("a-1", "a-2", "b-1");
        assertThat(deadLetters()).isEmpty();

        sendEvent("a-1", ACTIVATED, SALESFORCE, "00000201", order("00000201", "001000000000001AAA", "ONBOARDING"));
        assertThat(erp.placed).as("Kafka delivering a-1 again: a duplicate").hasSize(3);
    }

    @Test
    void anOrderParkedLongerThanTheLimitSinceFirstSeenBecomesADeadLetterAndTheNextOfItsKeyFollows() throws Exception {
        erp.missingCustomers.add("001000000000001AAA");
        // its own clock says 2099: the limit counts from when this runtime first saw it
        sendEvent("a-1", ACTIVATED, SALESFORCE, "00000301", order("00000301", "001000000000001AAA", "ONBOARDING"),
                "2099-01-01T00:00:00Z");
        sendEvent("a-2", ACTIVATED, SALESFORCE, "00000301", order("00000301", "001000000000002AAA", "ONBOARDING"));
        rechecker.recheck();
        assertThat(deadLetters()).as("within the limit").isEmpty();

        Sql.update(dataSource, "UPDATE parked_event SET first_seen_at = ? WHERE event_id = 'a-1'",
                java.sql.Timestamp.from(Instant.now().minus(Duration.parse(WAIT_LIMIT)).minusSeconds(1)));
        rechecker.recheck();

        assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row).containsEntry("category", "business")
                .containsEntry("reason_code", "customer-not-in-erp").containsEntry("event_id", "a-1"));
        assertThat(erp.placed).as("the key's next event, offered once its head left").singleElement()
                .satisfies(sale -> assertThat(sale).containsEntry("customerKey", "001000000000002AAA"));
        assertThat(parked()).isEmpty();
        assertThat(processedIds()).containsExactly("a-2");
    }

    @Test
    void anEventWithoutIdGetsOneDerivedFromItsKafkaPositionAndIsDeadLetteredUnderIt() throws Exception {
        Map<String, Object> headers = new java.util.LinkedHashMap<>();
        headers.put("ce_type", ACTIVATED);
        headers.put("ce_subject", "00000401");
        headers.put("kafka.TOPIC", "revops.order.v1");
        headers.put("kafka.PARTITION", 2);
        headers.put("kafka.OFFSET", 41L);
        template.sendBodyAndHeaders("direct:in", json.write(order("00000401", "001000000000001AAA", "GOLD-PLATING")), headers);

        assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("event_id", "derived:revops.order.v1:2:41").containsEntry("reason_code", "invalid-event"));
        assertThat((String) deadLetters().get(0).get("headers")).contains("\"revops_derived_id\":\"true\"");
    }

    @Test
    void whenTheDeadLetterStoreFailsTheEventComesBackWithBackoffUntilTheStoreWorksAgain() throws Exception {
        Sql.update(dataSource, "ALTER TABLE dead_letter RENAME TO dead_letter_away");
        long started = System.nanoTime();
        // Kafka delivering the unacknowledged event again and again, as fast as it can
        while (deadLetterStore.outage().consecutiveFailures() < 5) {
            assertThatThrownBy(() -> sendEvent("o-7", ACTIVATED, SALESFORCE, "00000107", order("GOLD-PLATING")))
                    .hasStackTraceContaining("DEAD_LETTER");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("backoff 100, 200, 400, 400 ms between the 5 attempts, not a hot loop")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1100));
        assertThat(deadLetterStore.outage().failing()).as("readiness check dead-letter-store DOWN").isTrue();
        assertThat(meters.counter("revops.dead.letter.store.failures").count()).isEqualTo(5);

        Sql.update(dataSource, "ALTER TABLE dead_letter_away RENAME TO dead_letter");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try {
                sendEvent("o-7", ACTIVATED, SALESFORCE, "00000107", order("GOLD-PLATING"));
            } catch (RuntimeException stillFailing) {
                // the backoff of the last failure has not passed yet
            }
            assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row).containsEntry("reason_code", "unknown-product"));
        });
        assertThat(deadLetterStore.outage().failing()).isFalse();

        sendEvent("o-8", ACTIVATED, SALESFORCE, "00000108", order("ONBOARDING"));
        assertThat(erp.placed).as("the route flows on").hasSize(1);
    }

    @Test
    void ordersOfWrongShapeEndAsReadableBusinessDeadLettersAndNeverReachTheErp() throws Exception {
        // wrong JSON types a mapping cannot read (the business rules of issue 10 - no lines, quantity 1e300 - are the
        // validate-event step's)
        List<Map<String, Object>> hostile = List.of(
                Map.of("orderNumber", "00000503", "accountId", "001000000000001AAA", "currency", "USD",
                        "lines", List.of(Map.of("lineId", "1", "productCode", "ONBOARDING", "quantity", "two",
                                "unitPrice", Map.of("amount", 500, "currency", "USD"), "chargeType", "ONE_TIME"))),
                Map.of("orderNumber", List.of("not", "a", "number"), "accountId", Map.of("id", 1), "lines", "none"));
        for (int i = 0; i < hostile.size(); i++) {
            sendEvent("h-" + i, ACTIVATED, SALESFORCE, "0000050" + i, hostile.get(i));
        }

        assertThat(deadLetters()).hasSize(hostile.size()).allSatisfy(row -> {
            assertThat(row).containsEntry("category", "business");
            assertThat(row.get("reason_code")).isNotNull().isNotEqualTo("unexpected-error");
            assertThat((String) row.get("exception_message")).isNotBlank().doesNotContain("null");
        });
        assertThat(erp.placed).isEmpty();
    }

    @Test
    void lineageRecordsTheConsumedEventAndAParkedHopOnce() throws Exception {
        var lineage = new io.revops.bridge.ops.LineageRecorder(dataSource, meters);
        context.getManagementStrategy().addEventNotifier(lineage);
        erp.missingCustomers.add("001000000000001AAA");
        sendEvent("a-1", ACTIVATED, SALESFORCE, "00000601", order("00000601", "001000000000001AAA", "ONBOARDING"));
        rechecker.recheck();
        rechecker.recheck();
        erp.missingCustomers.clear();
        rechecker.recheck();

        lineage.awaitRecorded(); // written behind the route
        var hops = Sql.rows(dataSource, "SELECT route_id, outcome, event_id, event_type FROM lineage ORDER BY at");
        assertThat(hops).filteredOn(hop -> "parked".equals(hop.get("outcome"))).as("one hop, not one per re-check")
                .singleElement().satisfies(hop -> assertThat(hop).containsEntry("event_id", "a-1"));
        assertThat(hops).filteredOn(hop -> "applied".equals(hop.get("outcome"))).singleElement()
                .satisfies(hop -> assertThat(hop).as("the event it consumed, not the status it published")
                        .containsEntry("event_id", "a-1").containsEntry("event_type", ACTIVATED));
    }

    @Test
    void replicasRecheckingAtOnceApplyEachParkedEventOnce() throws Exception {
        erp.missingCustomers.add("001000000000001AAA");
        for (int i = 0; i < 6; i++) {
            sendEvent("r-" + i, ACTIVATED, SALESFORCE, "0000070" + (i % 3), order("0000070" + (i % 3), "001000000000001AAA", "ONBOARDING"));
        }
        assertThat(parked()).hasSize(6);
        erp.missingCustomers.clear();

        var otherReplica = new io.revops.bridge.policy.ParkedEventRechecker(dataSource, json, context, 0);
        var first = java.util.concurrent.CompletableFuture.supplyAsync(rechecker::recheck);
        var second = java.util.concurrent.CompletableFuture.supplyAsync(otherReplica::recheck);
        first.join();
        second.join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            rechecker.recheck(); // rows a replica gave up on come back at the next re-check
            assertThat(parked()).isEmpty();
        });

        assertThat(erp.placed).hasSize(6);
        assertThat(processedIds()).hasSize(6).doesNotHaveDuplicates();
        for (String key : List.of("00000700", "00000701", "00000702")) {
            assertThat(erp.placed).filteredOn(sale -> key.equals(sale.get("reference"))).hasSize(2);
        }
    }

    private List<Map<String, Object>> parked() throws Exception {
        return Sql.rows(dataSource, "SELECT * FROM parked_event ORDER BY id");
    }

    private List<Object> processedIds() throws Exception {
        return Sql.rows(dataSource, "SELECT messageId FROM CAMEL_MESSAGEPROCESSED ORDER BY createdAt").stream()
                .map(row -> row.get("messageid")).toList();
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
        return order("00000101", "001000000000001AAA", product);
    }

    private static Map<String, Object> order(String number, String account, String product) {
        return Map.of("orderNumber", number, "accountId", account, "status", "ACTIVATED",
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
        final java.util.Set<String> missingCustomers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile int failTransiently;
        volatile String rejectWith;
        volatile int attempts;

        public ErpSale place(Map<String, Object> sale) {
            attempts++;
            if (missingCustomers.contains(sale.get("customerKey"))) {
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
