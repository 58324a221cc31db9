package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import io.revops.bridge.billing.AppliedCredit;
import io.revops.bridge.policy.BusinessException;

/** The billing step of credits and refunds: only after the ERP's acceptance, once per event, refusals with context. */
class BillingCreditRouteTest extends RouteTestSupport {
    private static final String ACCEPTED = "revops.contract-change.accepted.v1";
    private static final String ERP = "/erp/tryton/invoice";

    private final FakeBilling billing = new FakeBilling();

    @Override
    protected String routeId() {
        return "billing-credit";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("billingCredits", billing);
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveByToUri("kafka:*").replace().to("mock:kafka");
    }

    @Test
    void anAcceptedCreditAdjustsTheBillingInvoiceOnceAndPublishesTheMilestone() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);

        sendEvent("erp:cr-1:accepted", ACCEPTED, ERP, "00000101", credit("KB-7"));
        sendEvent("erp:cr-1:accepted", ACCEPTED, ERP, "00000101", credit("KB-7")); // a replay of the same acceptance

        assertThat(billing.credits).singleElement().satisfies(request -> assertThat(request)
                .containsEntry("changeId", "CR-00000101").containsEntry("invoiceNumber", "KB-7").containsEntry("amount", "4")
                .containsEntry("currency", "USD").containsEntry("reason", "Outage").containsEntry("erpCreditNote", "41"));
        published.assertIsSatisfied();
        var milestone = published.getExchanges().get(0).getMessage();
        assertThat(milestone.getHeader("ce_type")).isEqualTo("revops.contract-change.billing-applied.v1");
        assertThat(milestone.getHeader("ce_causationid")).isEqualTo("erp:cr-1:accepted");
        assertThat(json.toMap(milestone.getBody())).containsEntry("status", "BILLING_APPLIED")
                .containsEntry("statusReason", "adjusted invoice KB-7, balance 6")
                .containsEntry("ids", Map.of("salesforce", "a02000000000001AAA", "erp", "41", "billing", "inv-1"));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void anAcceptedRefundIsRefundedOnTheBillingPayment() throws Exception {
        sendEvent("erp:rf-1:accepted", ACCEPTED, ERP, "00000101", refund());

        assertThat(billing.refunds).singleElement().satisfies(request -> assertThat(request)
                .containsEntry("changeId", "RF-00000102").containsEntry("paymentId", "e7486946-1f61-46a5-b4be-a6579d6514d2")
                .containsEntry("amount", "2.5"));
        assertThat(billing.credits).isEmpty();
    }

    @Test
    void aCreditOfAnInvoiceTheErpMadeItselfAndChangesOfOtherKindsNeverReachBilling() throws Exception {
        sendEvent("erp:cr-2:accepted", ACCEPTED, ERP, "00000101", credit("37"));
        Map<String, Object> amendment = ErpContractChangeSyncRouteTest.change("00000105", 2);
        amendment.put("status", "ACCEPTED");
        sendEvent("erp:c-1:accepted", ACCEPTED, "/erp/tryton/sale", "00000101", amendment);
        Map<String, Object> requested = credit("KB-7");
        requested.put("status", "REQUESTED");
        sendEvent("cr-3", "revops.contract-change.requested.v1", "/salesforce/data/Credit__ChangeEvent", "00000101", requested);

        assertThat(billing.credits).isEmpty();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aCreditBillingRefusesIsOneBusinessDeadLetterHoldingTheChangeAndTheErpCreditNote() throws Exception {
        billing.refuse = true;

        sendEvent("erp:cr-4:accepted", ACCEPTED, ERP, "00000101", credit("KB-7"));

        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("category", "business").containsEntry("reason_code", "billing-change-failed")
                    .containsEntry("route_id", "billing-credit").containsEntry("event_id", "erp:cr-4:accepted");
            assertThat((String) row.get("exception_message")).contains("ERP credit note 41");
            assertThat(json.toMap(row.get("payload"))).containsEntry("changeId", "CR-00000101");
        });

        billing.refuse = false; // the cause fixed: the replay applies it
        sendEvent("erp:cr-4:accepted", ACCEPTED, ERP, "00000101", credit("KB-7"));
        assertThat(billing.credits).hasSize(1);
    }

    private static Map<String, Object> credit(String invoiceNumber) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("changeId", "CR-00000101");
        change.put("orderNumber", "00000101");
        change.put("accountId", "001000000000001AAA");
        change.put("kind", "CREDIT");
        change.put("status", "ACCEPTED");
        change.put("effectiveDate", "2026-11-22");
        change.put("currency", "USD");
        change.put("credit", Map.of("amount", Map.of("amount", 4, "currency", "USD"), "reason", "Outage",
                "invoiceNumber", invoiceNumber));
        change.put("ids", Map.of("salesforce", "a02000000000001AAA", "erp", "41"));
        return change;
    }

    private static Map<String, Object> refund() {
        Map<String, Object> change = new LinkedHashMap<>(credit("KB-7"));
        change.remove("credit");
        change.put("changeId", "RF-00000102");
        change.put("kind", "REFUND");
        change.put("refund", Map.of("amount", Map.of("amount", 2.5, "currency", "USD"),
                "paymentId", "e7486946-1f61-46a5-b4be-a6579d6514d2", "invoiceNumber", "KB-7"));
        change.put("ids", Map.of("salesforce", "a02000000000002AAA"));
        return change;
    }

    /** Billing's credit API: records what it is asked, or refuses as the adapter reports Kill Bill's refusal. */
    public static class FakeBilling {
        final List<Map<String, Object>> credits = new CopyOnWriteArrayList<>();
        final List<Map<String, Object>> refunds = new CopyOnWriteArrayList<>();
        volatile boolean refuse;

        public AppliedCredit credit(Map<String, Object> request) {
            if (refuse) {
                throw new BusinessException("billing-change-failed", "credit CR-00000101 on invoice KB-7: Invoice adjustment"
                        + " amount 4 should be lower than 2; compensate by cancelling ERP credit note " + request.get("erpCreditNote"));
            }
            credits.add(request);
            return new AppliedCredit((String) request.get("changeId"), "inv-1", true, new BigDecimal("6"));
        }

        public AppliedCredit refund(Map<String, Object> request) {
            refunds.add(request);
            return new AppliedCredit((String) request.get("changeId"), (String) request.get("paymentId"), true,
                    new BigDecimal("2.5"));
        }
    }
}
