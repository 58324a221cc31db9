package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.TransientFailureException;

/** Contract change milestones on both Salesforce orders: the amendment's own status and the original's last change. */
class SalesforceContractChangeWritebackRouteTest extends RouteTestSupport {
    private final FakeSalesforce salesforce = new FakeSalesforce();

    @Override
    protected String routeId() {
        return "salesforce-contract-change-writeback";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("salesforceRecords", salesforce);
    }

    @Test
    void theErpAcceptanceAndBillingMilestoneShowOnTheAmendmentAndOnTheOriginalOrderOnce() throws Exception {
        Map<String, Object> accepted = change("ACCEPTED", null);
        sendEvent("erp:c-1:accepted", "revops.contract-change.accepted.v1", "/erp/tryton/sale", "00000101", accepted);
        sendEvent("erp:c-1:accepted", "revops.contract-change.accepted.v1", "/erp/tryton/sale", "00000101", accepted);
        sendEvent("billing:erp:c-1:accepted", "revops.contract-change.billing-applied.v1", "/billing/killbill/subscription",
                "00000101", change("BILLING_APPLIED", "3 subscription(s) added in billing from 2026-12-15"));

        assertThat(salesforce.writes).containsExactly(
                "Order 801000000000005AAA {ERP_Status__c=Accepted, ERP_Sale_Number__c=SO2, ERP_Status_Reason__c=null}",
                "Order 801000000000001AAA {Contract_Change_Status__c=00000105 AMENDMENT: accepted by the ERP (sale SO2), waiting for billing}",
                "Order 801000000000005AAA {Billing_Status__c=Active: 3 subscription(s) added in billing from 2026-12-15}",
                "Order 801000000000001AAA {Contract_Change_Status__c=00000105 AMENDMENT: applied in billing: 3 subscription(s) added in billing from 2026-12-15}");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aRequestedChangeIsNotWrittenBackAndSalesforceOutagesAreRedelivered() throws Exception {
        sendEvent("c-1", "revops.contract-change.requested.v1", "/salesforce/data/OrderChangeEvent", "00000101",
                change("REQUESTED", null));
        assertThat(salesforce.writes).isEmpty();

        salesforce.failTransiently = 2;
        sendEvent("erp:c-1:rejected", "revops.contract-change.rejected.v1", "/erp/tryton/sale", "00000101",
                change("REJECTED", "erp-rejected: the product is not salable"));
        assertThat(salesforce.writes).hasSize(2).first().asString().contains("ERP_Status__c=Rejected")
                .contains("ERP_Status_Reason__c=erp-rejected: the product is not salable");
        assertThat(deadLetters()).isEmpty();
    }

    private static Map<String, Object> change(String status, String reason) {
        Map<String, Object> change = ErpContractChangeSyncRouteTest.change("00000105", 3);
        change.put("status", status);
        if (reason != null) {
            change.put("statusReason", reason);
        }
        change.put("ids", Map.of("salesforce", "801000000000005AAA", "erp", "SO2"));
        change.put("originalIds", Map.of("salesforce", "801000000000001AAA", "erp", "SO1"));
        return change;
    }

    public static class FakeSalesforce {
        final List<String> writes = new CopyOnWriteArrayList<>();
        volatile int failTransiently;

        public void upsert(String sObject, String idField, String id, Object fields) {
            if (failTransiently > 0) {
                failTransiently--;
                throw new TransientFailureException("salesforce", "HTTP 503");
            }
            writes.add(sObject + " " + id + " " + fields);
        }
    }
}
