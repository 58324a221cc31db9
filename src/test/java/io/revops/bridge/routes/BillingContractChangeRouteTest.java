package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import io.revops.bridge.billing.AppliedChange;
import io.revops.bridge.billing.BillingSubscription;
import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/** The contract change's billing step: only after the ERP's acceptance, once per event, refusals with context. */
class BillingContractChangeRouteTest extends RouteTestSupport {
    private static final String ACCEPTED = "revops.contract-change.accepted.v1";
    private static final String ERP = "/erp/tryton/sale";

    private final FakeBilling billing = new FakeBilling();

    @Override
    protected String routeId() {
        return "billing-contract-change";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("billingSubscriptions", billing);
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveByToUri("kafka:*").replace().to("mock:kafka");
    }

    @Test
    void anAcceptedChangeAddsOneSubscriptionPerSeatFromItsEffectiveDateOnceAndPublishesTheMilestone() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);

        sendEvent("erp:c-1:accepted", ACCEPTED, ERP, "00000101", accepted(3));
        sendEvent("erp:c-1:accepted", ACCEPTED, ERP, "00000101", accepted(3)); // a replay of the same acceptance

        assertThat(billing.requests).singleElement().satisfies(request -> {
            assertThat(request).containsEntry("changeId", "00000105").containsEntry("orderNumber", "00000101")
                    .containsEntry("erpSale", "SO2").containsEntry("effectiveDate", "2026-12-15")
                    .containsEntry("accountKey", "001000000000001AAA");
            assertThat(((List<?>) request.get("subscriptions")).stream().map(s -> (Object) ((Map<?, ?>) s).get("externalKey")).toList())
                    .containsExactly("00000105-00000107-1", "00000105-00000107-2", "00000105-00000107-3");
        });
        published.assertIsSatisfied();
        var milestone = published.getExchanges().get(0).getMessage();
        assertThat(milestone.getHeader("ce_type")).isEqualTo("revops.contract-change.billing-applied.v1");
        assertThat(milestone.getHeader("ce_causationid")).isEqualTo("erp:c-1:accepted");
        assertThat(json.toMap(milestone.getBody())).containsEntry("status", "BILLING_APPLIED")
                .containsEntry("statusReason", "3 subscription(s) added in billing from 2026-12-15")
                .containsEntry("ids", Map.of("salesforce", "801000000000005AAA", "erp", "SO2", "billing", "s-1,s-2,s-3"));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aChangeTheErpHasNotAcceptedNeverReachesBilling() throws Exception {
        Map<String, Object> requested = accepted(3);
        requested.put("status", "REQUESTED");
        sendEvent("c-1", "revops.contract-change.requested.v1", "/salesforce/data/OrderChangeEvent", "00000101", requested);
        Map<String, Object> rejected = accepted(3);
        rejected.put("status", "REJECTED");
        sendEvent("erp:c-1:rejected", "revops.contract-change.rejected.v1", ERP, "00000101", rejected);

        assertThat(billing.requests).isEmpty();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aChangeBillingRefusesIsOneBusinessDeadLetterHoldingTheChangeAndTheErpSale() throws Exception {
        billing.refuse = true;

        sendEvent("erp:c-2:accepted", ACCEPTED, ERP, "00000101", accepted(2));

        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("category", "business").containsEntry("reason_code", "billing-change-failed")
                    .containsEntry("route_id", "billing-contract-change").containsEntry("event_id", "erp:c-2:accepted");
            assertThat((String) row.get("exception_message")).contains("sale SO2");
            assertThat(json.toMap(row.get("payload"))).containsEntry("changeId", "00000105")
                    .containsEntry("ids", Map.of("salesforce", "801000000000005AAA", "erp", "SO2"));
        });

        billing.refuse = false; // the cause fixed: the replay applies it
        sendEvent("erp:c-2:accepted", ACCEPTED, ERP, "00000101", accepted(2));
        assertThat(billing.requests).hasSize(1);
    }

    @Test
    void aChangeWaitingForItsBillingAccountIsParkedAndAppliedOnceTheAccountExists() throws Exception {
        billing.accountMissing = true;
        sendEvent("erp:c-3:accepted", ACCEPTED, ERP, "00000101", accepted(1));
        assertThat(billing.requests).isEmpty();
        assertThat(deadLetters()).isEmpty();

        billing.accountMissing = false;
        rechecker.recheck();
        assertThat(billing.requests).hasSize(1);
    }

    @Test
    void aChangeOfOneTimeLinesOnlyHasNothingToApplyInBilling() throws Exception {
        Map<String, Object> oneTime = accepted(1);
        Map<String, Object> line = new LinkedHashMap<>(((List<Map<String, Object>>) oneTime.get("lines")).get(0));
        line.put("productCode", "ONBOARDING");
        line.put("chargeType", "ONE_TIME");
        line.remove("billingPeriod");
        line.put("action", "ADD");
        line.remove("originalLineId");
        oneTime.put("lines", List.of(line));

        sendEvent("erp:c-4:accepted", ACCEPTED, ERP, "00000101", oneTime);

        assertThat(billing.requests).isEmpty();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void anAcceptedRenewalHasBillingConfirmTheSeatsOfTheContractAndPublishesTheMilestone() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);
        Map<String, Object> renewal = accepted(1);
        renewal.remove("lines");
        renewal.put("kind", "RENEWAL");
        renewal.put("renewal", Map.of("termMonths", 12));
        renewal.put("earlierAmendmentLines", List.of(Map.of("changeId", "00000103", "lineId", "00000104")));

        sendEvent("erp:c-5:accepted", ACCEPTED, ERP, "00000101", renewal);

        assertThat(billing.requests).singleElement().satisfies(request -> assertThat(request.get("renewal"))
                .isEqualTo(Map.of("termMonths", 12, "amendmentSeatKeyPrefixes", List.of("00000103-00000104-"))));
        published.assertIsSatisfied();
        assertThat(json.toMap(published.getExchanges().get(0).getMessage().getBody()))
                .containsEntry("statusReason", "renewed for 12 months from 2026-12-15: 1 subscription(s) run on, Kill Bill bills each period");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAcceptedPlanChangeHasBillingMoveTheLinesSeatsAndPublishesTheMilestone() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);
        Map<String, Object> upgrade = accepted(1);
        Map<String, Object> line = new LinkedHashMap<>((Map<String, Object>) ((List<?>) upgrade.get("lines")).get(0));
        line.put("action", "CHANGE_PLAN");
        line.put("productCode", "PREMIUM");
        line.put("originalProductCode", "STANDARD");
        line.put("quantityDelta", 0);
        upgrade.put("lines", List.of(line));

        sendEvent("erp:c-6:accepted", ACCEPTED, ERP, "00000101", upgrade);

        assertThat(billing.requests).singleElement().satisfies(request -> {
            assertThat(request.get("subscriptions")).asList().isEmpty();
            assertThat(request.get("planChanges")).asList().singleElement().isEqualTo(Map.of("lineId", line.get("lineId"),
                    "seatKeyPrefixes", List.of("00000101-" + line.get("originalLineId") + "-"), "planName", "premium-monthly"));
        });
        published.assertIsSatisfied();
        assertThat(json.toMap(published.getExchanges().get(0).getMessage().getBody()))
                .containsEntry("statusReason", "2 seat(s) changed plan in billing to PREMIUM from 2026-12-15")
                .containsEntry("ids", Map.of("salesforce", "801000000000005AAA", "erp", "SO2", "billing", "s-7,s-8"));
        assertThat(deadLetters()).isEmpty();
    }

    private static Map<String, Object> accepted(int seats) {
        Map<String, Object> change = ErpContractChangeSyncRouteTest.change("00000105", seats);
        change.put("status", "ACCEPTED");
        change.put("ids", Map.of("salesforce", "801000000000005AAA", "erp", "SO2"));
        change.put("originalIds", Map.of("salesforce", "801000000000001AAA", "erp", "SO1"));
        return change;
    }

    /** Billing's contract change API: a subscription per requested key, or Kill Bill's refusal as the adapter reports it. */
    public static class FakeBilling {
        final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
        volatile boolean refuse;
        volatile boolean accountMissing;

        public AppliedChange applyChange(Map<String, Object> request) {
            if (accountMissing) {
                throw new PrerequisiteMissingException("account-not-in-billing", "no billing account yet");
            }
            if (refuse) {
                throw new BusinessException("billing-change-failed", "contract change 00000105 of order 00000101 was booked"
                        + " in the ERP (sale " + request.get("erpSale") + ") but is not fully applied in billing");
            }
            requests.add(request);
            List<BillingSubscription> active = new ArrayList<>();
            int i = 0;
            for (Object s : (List<?>) request.get("subscriptions")) {
                Map<?, ?> wanted = (Map<?, ?>) s;
                active.add(new BillingSubscription("s-" + ++i, (String) wanted.get("externalKey"),
                        (String) wanted.get("planName"), "ACTIVE", true));
            }
            if (request.get("planChanges") != null) {
                return new AppliedChange(List.of(), List.of(), List.of(), List.of(
                        new BillingSubscription("s-7", "00000101-00000102-2", "premium-monthly", "ACTIVE", false),
                        new BillingSubscription("s-8", "00000101-00000102-1", "premium-monthly", "ACTIVE", false)));
            }
            if (request.get("renewal") != null) {
                return new AppliedChange(List.of(), List.of(), List.of(
                        new BillingSubscription("s-9", "00000101-00000102-1", "standard-monthly", "ACTIVE", false)));
            }
            return new AppliedChange(active, List.of());
        }
    }
}
