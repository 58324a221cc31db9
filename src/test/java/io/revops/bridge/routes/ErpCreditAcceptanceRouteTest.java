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

import io.revops.bridge.erp.ErpCreditAcceptance;
import io.revops.bridge.erp.ErpCreditDecisions;
import io.revops.bridge.erp.ErpCredits;
import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/** The ERP step of credits and refunds: once per event, waiting for the invoice, refusals with their reason. */
class ErpCreditAcceptanceRouteTest extends RouteTestSupport {
    private static final String REQUESTED = "revops.contract-change.requested.v1";
    private static final String SALESFORCE = "/salesforce/data/Credit__ChangeEvent";

    private final FakeErp erp = new FakeErp();

    @Override
    protected String routeId() {
        return "erp-credit-acceptance";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("erpCreditDecisions", new ErpCreditDecisions(erp));
    }

    @Override
    protected void advice(AdviceWithRouteBuilder route) throws Exception {
        route.replaceFromWith("direct:in");
        route.weaveByToUri("kafka:*").replace().to("mock:kafka");
    }

    @Test
    void aRequestedCreditIsBookedOnceAndItsAcceptanceCarriesTheCreditNote() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);

        sendEvent("cr-1", REQUESTED, SALESFORCE, "00000101", credit());
        sendEvent("cr-1", REQUESTED, SALESFORCE, "00000101", credit()); // Salesforce redelivers the approval

        assertThat(erp.credits).singleElement().satisfies(request -> assertThat(request)
                .containsEntry("changeId", "CR-00000101").containsEntry("customerKey", "001000000000001AAA")
                .containsEntry("invoiceNumber", "KB-7").containsEntry("amount", "4").containsEntry("currency", "USD")
                .containsEntry("reason", "Outage").containsEntry("date", "2026-11-22"));
        published.assertIsSatisfied();
        var accepted = published.getExchanges().get(0).getMessage();
        assertThat(accepted.getHeader("ce_type")).isEqualTo("revops.contract-change.accepted.v1");
        assertThat(accepted.getHeader("ce_causationid")).isEqualTo("cr-1");
        assertThat(json.toMap(accepted.getBody())).containsEntry("status", "ACCEPTED")
                .containsEntry("ids", Map.of("salesforce", "a02000000000001AAA", "erp", "41"));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aCreditOfAnInvoiceNotInTheErpYetWaitsParkedAndIsBookedOnceItIs() throws Exception {
        erp.invoiceMissing = true;
        sendEvent("cr-2", REQUESTED, SALESFORCE, "00000101", credit());
        assertThat(erp.credits).isEmpty();
        assertThat(deadLetters()).isEmpty();

        erp.invoiceMissing = false;
        rechecker.recheck();
        assertThat(erp.credits).hasSize(1);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aCreditTheErpRefusesIsPublishedAsRejectedWithItsReasonThenIsABusinessDeadLetter() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(1);
        erp.refuse = true;

        sendEvent("cr-3", REQUESTED, SALESFORCE, "00000101", credit());

        published.assertIsSatisfied();
        var rejected = published.getExchanges().get(0).getMessage();
        assertThat(rejected.getHeader("ce_type")).isEqualTo("revops.contract-change.rejected.v1");
        assertThat(rejected.getHeader("ce_causationid")).isEqualTo("cr-3");
        assertThat(json.toMap(rejected.getBody())).containsEntry("status", "REJECTED")
                .containsEntry("statusReason", "invalid-change: credit CR-00000101 applies to another customer's invoice")
                .containsEntry("ids", Map.of("salesforce", "a02000000000001AAA"));
        assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row).containsEntry("category", "business")
                .containsEntry("reason_code", "invalid-change").containsEntry("route_id", "erp-credit-acceptance"));
    }

    @Test
    void aSetupFaultOfOursIsNoRefusalOfTheCreditItIsADeadLetterOnlyAndNothingIsPublished() throws Exception {
        MockEndpoint published = getMockEndpoint("mock:kafka");
        published.expectedMessageCount(0);
        erp.setupMissing = true;

        sendEvent("cr-4", REQUESTED, SALESFORCE, "00000101", credit());

        assertThat(deadLetters()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("reason_code", "erp-setup-missing").containsEntry("route_id", "erp-credit-acceptance"));
        published.assertIsSatisfied();
    }

    @Test
    void amendmentsAreNotForThisRoute() throws Exception {
        sendEvent("c-1", REQUESTED, "/salesforce/data/OrderChangeEvent", "00000101",
                ErpContractChangeSyncRouteTest.change("00000105", 2));

        assertThat(erp.credits).isEmpty();
        assertThat(deadLetters()).isEmpty();
    }

    private static Map<String, Object> credit() {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("changeId", "CR-00000101");
        change.put("orderNumber", "00000101");
        change.put("accountId", "001000000000001AAA");
        change.put("kind", "CREDIT");
        change.put("status", "REQUESTED");
        change.put("effectiveDate", "2026-11-22");
        change.put("currency", "USD");
        change.put("credit", Map.of("amount", Map.of("amount", 4, "currency", "USD"), "reason", "Outage",
                "invoiceNumber", "KB-7"));
        change.put("ids", Map.of("salesforce", "a02000000000001AAA"));
        return change;
    }

    /** The ERP's credit API: books what it is asked, waits for the invoice or refuses as the adapter does. */
    public static class FakeErp extends ErpCredits {
        final List<Map<String, Object>> credits = new CopyOnWriteArrayList<>();
        volatile boolean invoiceMissing;
        volatile boolean refuse;
        volatile boolean setupMissing;

        FakeErp() {
            super(null, null);
        }

        @Override
        public ErpCreditAcceptance bookCredit(Map<String, Object> request) {
            if (invoiceMissing) {
                throw new PrerequisiteMissingException("invoice-not-in-erp", "invoice KB-7 is not posted in the ERP yet");
            }
            if (setupMissing) {
                throw new BusinessException("erp-setup-missing", "the ERP has no invoice payment method set up");
            }
            if (refuse) {
                throw new BusinessException("invalid-change", "credit CR-00000101 applies to another customer's invoice");
            }
            credits.add(request);
            return new ErpCreditAcceptance("41", new BigDecimal("-4.00"), "KB-7", new BigDecimal("6.00"),
                    "credit note 41 of 4 USD on invoice KB-7, 6.00 left to pay there");
        }

        @Override
        public ErpCreditAcceptance acceptRefund(Map<String, Object> request) {
            throw new AssertionError("no refund in these tests");
        }
    }
}
