package io.revops.bridge.reconciliation;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.revops.bridge.billing.BillingFeed;
import io.revops.bridge.billing.BillingPage;
import io.revops.bridge.erp.ErpInvoices;
import io.revops.bridge.ops.Correlations;

/**
 * Payments: every successful Kill Bill payment against an invoice applied once in the ERP, for the same amount, to the
 * invoice booked under KB-&lt;number&gt; (the ERP finds a payment by its id in the payment move's description). Paged
 * by Kill Bill's payment pagination, cursor {@code billing:<offset>}; each page one listing (plus the feed's read per
 * payment), one Tryton search_read of the paid invoices and one read of their payment lines.
 */
@ApplicationScoped
public class PaymentReconciler implements ObjectReconciler {
    static final String OBJECT = "payment";
    private static final String BILLING = "billing:";
    private static final String TOPIC = "revops.payment.v1";

    private final BillingFeed billing;
    private final ErpInvoices erp;
    private final Correlations correlations;
    private final RepublishedEvents events;
    private final int pageSize;

    @Inject
    public PaymentReconciler(BillingFeed billing, ErpInvoices erp, Correlations correlations, RepublishedEvents events,
            @ConfigProperty(name = "revops.reconciliation.payment.page-size", defaultValue = "200") int pageSize) {
        this.billing = billing;
        this.erp = erp;
        this.correlations = correlations;
        this.events = events;
        this.pageSize = pageSize;
    }

    @Override
    public String object() {
        return OBJECT;
    }

    @Override
    public String reconcilePage(String cursor, Consumer<Drift> drifts) {
        if (cursor != null && !cursor.startsWith(BILLING)) {
            throw new IllegalArgumentException("not a payment reconciliation cursor: " + cursor);
        }
        BillingPage page = billing.paymentsAfter(cursor == null ? 0 : Long.parseLong(cursor.substring(BILLING.length())),
                pageSize);
        if (page.items().isEmpty()) {
            return null;
        }
        Map<String, BigDecimal> received = new LinkedHashMap<>();
        Set<String> invoices = new LinkedHashSet<>();
        for (Map<String, Object> payment : page.items()) {
            RecordComparison.compare(OBJECT, String.valueOf(payment.get("paymentId")), "billing", drifts, () -> {
                BigDecimal amount = succeededPurchase(payment);
                if (amount != null && payment.get("targetInvoiceNumber") != null) { // failed ones and credits are never applied
                    received.put((String) payment.get("paymentId"), amount);
                    invoices.add("KB-" + payment.get("targetInvoiceNumber"));
                }
            });
        }
        Map<String, List<BigDecimal>> applied = erp.appliedPayments(invoices);
        received.forEach((paymentId, amount) -> {
            List<BigDecimal> applications = applied.getOrDefault(paymentId, List.of());
            if (applications.isEmpty()) {
                drifts.accept(drift(paymentId, DriftKind.MISSING_IN_TARGET, null, InvoiceReconciler.text(amount), null));
            } else if (applications.size() > 1) {
                drifts.accept(drift(paymentId, DriftKind.DUPLICATE_IN_TARGET, "paymentId", "1",
                        String.valueOf(applications.size())));
            } else if (applications.get(0).compareTo(amount) != 0) {
                drifts.accept(drift(paymentId, DriftKind.AMOUNT_MISMATCH, "amount", InvoiceReconciler.text(amount),
                        InvoiceReconciler.text(applications.get(0))));
            }
        });
        return BILLING + page.nextPosition();
    }

    /**
     * A payment missing in the ERP is published again from billing and applied by erp-payment-posting. An amount
     * applied differently is corrected in the ERP by a person (a payment cannot be applied twice): refused.
     */
    @Override
    public void repair(Drift drift, String repairId) throws SQLException {
        if (drift.kind() != DriftKind.MISSING_IN_TARGET) {
            throw new RepairRefusedException("a " + drift.kind().wire() + " of payment " + drift.businessKey()
                    + " in the ERP is not repaired by republishing: correct the payment lines of its invoice in the ERP");
        }
        Map<String, Object> payment = billing.payment(drift.businessKey()).orElseThrow(() -> new IllegalStateException(
                "billing no longer has payment " + drift.businessKey()));
        String invoiceNumber = "KB-" + payment.get("targetInvoiceNumber");
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("invoiceNumber", invoiceNumber);
        variables.put("correlationId", correlations.of(invoiceNumber));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("body", payment);
        input.put("headers", Map.of());
        input.put("variables", variables);
        events.publish(TOPIC, events.map("billing/payment-to-canonical", input), repairId);
    }

    @SuppressWarnings("unchecked")
    private static BigDecimal succeededPurchase(Map<String, Object> payment) {
        for (Map<String, Object> transaction : (List<Map<String, Object>>) payment.getOrDefault("transactions", List.of())) {
            if ("PURCHASE".equals(transaction.get("transactionType")) && "SUCCESS".equals(transaction.get("status"))) {
                return new BigDecimal(transaction.get("amount").toString());
            }
        }
        return null;
    }

    private static Drift drift(String paymentId, DriftKind kind, String field, String expected, String actual) {
        return new Drift(OBJECT, paymentId, kind, "billing", "erp", field, expected, actual);
    }
}
