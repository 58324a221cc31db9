package io.revops.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.revops.bridge.erp.ErpInvoice;
import io.revops.bridge.policy.PrerequisiteMissingException;
import io.revops.bridge.testing.Sql;

/** Payments applied to ERP invoices, and the hostile payments of issue 10 that used to stall this route. */
class ErpPaymentPostingRouteTest extends RouteTestSupport {
    private static final String RECEIVED = "revops.payment.received.v1";
    private static final String BILLING = "/billing/killbill/payment";

    private final FakeErpInvoices erp = new FakeErpInvoices();

    @Override
    protected String routeId() {
        return "erp-payment-posting";
    }

    @Override
    protected Map<String, Object> beans() {
        return Map.of("erpInvoices", erp);
    }

    @Test
    void aPaymentWithAnOverLongSubjectAndAWrongAmountIsABusinessDeadLetterAndTheRouteFlowsOn() throws Exception {
        String subject = "S".repeat(300);
        sendEvent("p-bad", RECEIVED, BILLING, subject, Map.of("paymentId", "p-bad", "invoiceNumber", "KB-1",
                "amount", Map.of("amount", "ten", "currency", "USD"), "receivedAt", "2026-11-22T10:00:00Z"));
        sendEvent("p-good", RECEIVED, BILLING, "p-good", payment("p-good", "KB-1"));

        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("business_key", subject).containsEntry("category", "business");
            assertThat(row).containsEntry("reason_code", "invalid-event");
            assertThat((String) row.get("exception_message")).startsWith("ce_subject: 300 characters long, at most 255 allowed");
        });
        assertThat(erp.applied).extracting(payment -> payment.get("paymentId")).containsExactly("p-good");
    }

    @Test
    void anIdReusedWithOtherContentIsAConflictAndNotADuplicate() throws Exception {
        sendEvent("p-1", RECEIVED, BILLING, "p-1", payment("p-1", "KB-1"));
        sendEvent("p-1", RECEIVED, BILLING, "p-1", payment("p-1", "KB-1")); // Kafka again: a duplicate
        sendEvent("p-1", RECEIVED, BILLING, "p-1", payment("p-1", "KB-2")); // another payment under that id

        assertThat(erp.applied).hasSize(1);
        assertThat(deadLetters()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("reason_code", "event-id-conflict").containsEntry("category", "business");
            assertThat((String) row.get("payload")).contains("KB-2");
            assertThat((String) row.get("exception_message")).contains("sha256");
        });
    }

    @Test
    void aPaymentBeforeItsInvoiceIsParkedAndAppliedOnceTheInvoiceIsBooked() throws Exception {
        erp.missingInvoices.add("KB-9");
        sendEvent("p-9", RECEIVED, BILLING, "p-9", payment("p-9", "KB-9"), "2099-01-01T00:00:00Z");
        sendEvent("p-10", RECEIVED, BILLING, "p-10", payment("p-10", "KB-1"));

        assertThat(erp.applied).extracting(payment -> payment.get("paymentId")).containsExactly("p-10");
        assertThat(Sql.rows(dataSource, "SELECT event_id, last_reason FROM parked_event")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("event_id", "p-9").containsEntry("last_reason", "invoice-not-in-erp"));

        erp.missingInvoices.clear();
        rechecker.recheck();
        assertThat(erp.applied).extracting(payment -> payment.get("paymentId")).containsExactly("p-10", "p-9");
        assertThat(Sql.rows(dataSource, "SELECT * FROM parked_event")).isEmpty();
        assertThat(deadLetters()).isEmpty();
    }

    private static Map<String, Object> payment(String id, String invoice) {
        return Map.of("paymentId", id, "accountId", "001000000000001AAA", "invoiceNumber", invoice,
                "amount", Map.of("amount", 10, "currency", "USD"), "receivedAt", "2026-11-22T10:00:00Z", "status", "SUCCEEDED");
    }

    /** Stands in for erp.ErpInvoices. */
    public static class FakeErpInvoices {
        final List<Map<String, Object>> applied = new CopyOnWriteArrayList<>();
        final Set<String> missingInvoices = ConcurrentHashMap.newKeySet();

        public ErpInvoice applyPayment(Map<String, Object> payment) {
            if (missingInvoices.contains(payment.get("invoiceReference"))) {
                throw new PrerequisiteMissingException("invoice-not-in-erp", "invoice " + payment.get("invoiceReference")
                        + " is not booked in the ERP yet");
            }
            new BigDecimal((String) payment.get("amount")); // as the ERP adapter reads it
            applied.add(payment);
            return null;
        }
    }
}
