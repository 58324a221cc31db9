package io.revops.bridge.billing;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * A customer paying an invoice outside Kill Bill (bank transfer, cheque), recorded as Kill Bill's external payment.
 * The runtime itself never collects money: the sandbox demo and the tests use this to act as a paying customer.
 */
@ApplicationScoped
@Named("billingPayments")
public class BillingPayments {
    private final KillBillClient client;

    @Inject
    public BillingPayments(KillBillClient client) {
        this.client = client;
    }

    /**
     * Pays {@code amount} (at most the invoice balance; less is a partial payment) of an invoice.
     *
     * @return Kill Bill's paymentId
     */
    public String recordExternalPayment(String invoiceId, BigDecimal amount) {
        String accountId = client.find("/1.0/kb/invoices/" + invoiceId).orElseThrow(
                () -> new IllegalArgumentException("Kill Bill has no invoice " + invoiceId)).path("accountId").asText();
        String location = client.post("/1.0/kb/invoices/" + invoiceId + "/payments?externalPayment=true", Map.of(
                "accountId", accountId, "targetInvoiceId", invoiceId, "purchasedAmount", amount.toPlainString())).location();
        // Location: .../1.0/kb/invoicePayments/<paymentId>/ (with a trailing slash)
        String path = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
