package io.revops.bridge.billing;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;

/**
 * Credits and refunds the ERP accepted, applied in Kill Bill once each on our key (the credit's change id).
 * A credit is an invoice item adjustment (POST /1.0/kb/invoices/{invoiceId}, an ITEM_ADJ item): it takes the amount
 * off that invoice's balance, where an account credit (POST /1.0/kb/credits) would land on whatever invoice Kill Bill
 * picks. Kill Bill keeps no idempotency key on an adjustment, so ours is the adjustment's description ("credit
 * <change id>: <reason>"), looked up before writing. A refund is a REFUND transaction on the payment whose
 * transactionExternalKey is our key; Kill Bill 0.22.26 refuses a second successful transaction with that key (7030)
 * but lets an external payment be refunded beyond what was paid, so what is left to refund is checked here.
 * Every refusal after the ERP accepted is "billing-change-failed", naming the ERP document to compensate.
 */
@ApplicationScoped
@Named("billingCredits")
public class BillingCredits {
    private static final String FAILED = "billing-change-failed";
    private static final int DESCRIPTION_LENGTH = 255;

    private final KillBillClient client;

    @Inject
    public BillingCredits(KillBillClient client) {
        this.client = client;
    }

    /**
     * @param credit changeId, invoiceNumber (KB-<Kill Bill number>), amount, currency, reason, erpCreditNote (the
     *               ERP's credit note number, for the compensation)
     * @throws BusinessException billing-change-failed: no such invoice, no item with that much left, Kill Bill refused
     */
    public AppliedCredit credit(Map<String, Object> credit) {
        String changeId = required(credit, "changeId");
        String invoiceNumber = required(credit, "invoiceNumber");
        BigDecimal amount = new BigDecimal(required(credit, "amount"));
        String compensate = "; compensate by cancelling ERP credit note " + credit.get("erpCreditNote");
        String marker = "credit " + changeId;
        JsonNode invoice = invoice(invoiceNumber).orElseThrow(() -> new BusinessException(FAILED, "credit " + changeId
                + ": billing has no invoice " + invoiceNumber + compensate));
        String invoiceId = invoice.path("invoiceId").asText();
        for (JsonNode item : invoice.path("items")) {
            if ("ITEM_ADJ".equals(item.path("itemType").asText()) && item.path("description").asText("").startsWith(marker + ":")) {
                return new AppliedCredit(changeId, invoiceId, false, invoice.path("balance").decimalValue());
            }
        }
        JsonNode item = adjustable(invoice, amount).orElseThrow(() -> new BusinessException(FAILED, "credit " + changeId
                + " of " + amount.toPlainString() + " " + credit.get("currency") + ": no item of invoice " + invoiceNumber
                + " has that much left to adjust (invoice amount " + invoice.path("amount").asText() + ")" + compensate));
        try {
            client.post("/1.0/kb/invoices/" + invoiceId, Map.of("accountId", invoice.path("accountId").asText(),
                    "invoiceItemId", item.path("invoiceItemId").asText(), "amount", amount.toPlainString(),
                    "currency", required(credit, "currency"), "description", description(marker, required(credit, "reason"))));
        } catch (BusinessException refused) {
            throw new BusinessException(FAILED, "credit " + changeId + " on invoice " + invoiceNumber + ": "
                    + refused.getMessage() + compensate);
        }
        BigDecimal balance = invoice(invoiceNumber).map(i -> i.path("balance").decimalValue()).orElse(null);
        return new AppliedCredit(changeId, invoiceId, true, balance);
    }

    /**
     * @param refund changeId, paymentId (Kill Bill's), amount, currency
     * @throws BusinessException billing-change-failed: no such payment, more than is left to refund, Kill Bill refused
     */
    public AppliedCredit refund(Map<String, Object> refund) {
        String changeId = required(refund, "changeId");
        String paymentId = required(refund, "paymentId");
        BigDecimal amount = new BigDecimal(required(refund, "amount"));
        String path = "/1.0/kb/payments/" + paymentId;
        if (!paymentId.matches("[0-9a-fA-F-]{36}")) {
            throw new BusinessException(FAILED, "refund " + changeId + ": " + paymentId + " is not a Kill Bill payment id");
        }
        JsonNode payment = client.find(path).orElseThrow(() -> new BusinessException(FAILED, "refund " + changeId
                + ": billing has no payment " + paymentId));
        for (JsonNode transaction : payment.path("transactions")) {
            if ("REFUND".equals(transaction.path("transactionType").asText())
                    && changeId.equals(transaction.path("transactionExternalKey").asText())
                    && "SUCCESS".equals(transaction.path("status").asText())) {
                return new AppliedCredit(changeId, paymentId, false, payment.path("refundedAmount").decimalValue());
            }
        }
        BigDecimal left = payment.path("purchasedAmount").decimalValue().subtract(payment.path("refundedAmount").decimalValue());
        if (amount.compareTo(left) > 0) {
            throw new BusinessException(FAILED, "refund " + changeId + " of " + amount.toPlainString() + " "
                    + refund.get("currency") + " is more than the " + left.toPlainString() + " left to refund on payment "
                    + paymentId);
        }
        try {
            client.post(path + "/refunds", Map.of("amount", amount.toPlainString(), "currency", required(refund, "currency"),
                    "transactionExternalKey", changeId));
        } catch (BusinessException refused) {
            throw new BusinessException(FAILED, "refund " + changeId + " of payment " + paymentId + ": " + refused.getMessage());
        }
        return new AppliedCredit(changeId, paymentId, true,
                client.find(path).map(p -> p.path("refundedAmount").decimalValue()).orElse(null));
    }

    /**
     * Our key first, then as much of the reason as fits: Kill Bill stores 255 characters and answers a longer
     * description with a 500 (a database error), which would be retried as an outage.
     */
    private static String description(String marker, String reason) {
        String description = marker + ": " + reason;
        return description.length() <= DESCRIPTION_LENGTH ? description : description.substring(0, DESCRIPTION_LENGTH);
    }

    private Optional<JsonNode> invoice(String invoiceNumber) {
        if (!invoiceNumber.matches("KB-[0-9]+")) {
            return Optional.empty();
        }
        return client.find("/1.0/kb/invoices/byNumber/" + invoiceNumber.substring(3) + "?withItems=true");
    }

    /** The first charge item with at least {@code amount} left after the adjustments already linked to it. */
    private static Optional<JsonNode> adjustable(JsonNode invoice, BigDecimal amount) {
        for (JsonNode item : invoice.path("items")) {
            if (item.path("amount").decimalValue().signum() <= 0 || item.hasNonNull("linkedInvoiceItemId")) {
                continue;
            }
            BigDecimal left = item.path("amount").decimalValue();
            for (JsonNode other : invoice.path("items")) {
                if (item.path("invoiceItemId").asText().equals(other.path("linkedInvoiceItemId").asText(null))) {
                    left = left.add(other.path("amount").decimalValue());
                }
            }
            if (left.compareTo(amount) >= 0) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    private static String required(Map<String, Object> values, String field) {
        Object value = values.get(field);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new BusinessException("invalid-event", "billing credit without " + field);
        }
        return String.valueOf(value);
    }
}
