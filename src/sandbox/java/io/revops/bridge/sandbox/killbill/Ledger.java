package io.revops.bridge.sandbox.killbill;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.revops.bridge.sandbox.killbill.KillBillCatalog.Plan;
import io.revops.bridge.sandbox.killbill.SubscriptionStore.Subscription;

/**
 * One tenant's invoices and external payments, in creation order (Kill Bill's pagination order). Invoice and
 * payment numbers come from sequences shared by all tenants, as in the real server (one database sequence each).
 */
final class Ledger {
    private static final String PAYMENT_API = "org.killbill.billing.payment.api.PaymentApiException";
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final ObjectMapper json;
    private final AtomicLong invoiceNumbers;
    private final AtomicLong paymentNumbers;
    private final List<ObjectNode> invoices = new ArrayList<>();
    private final List<ObjectNode> payments = new ArrayList<>();
    private final Map<String, String> externalPaymentMethods = new HashMap<>();

    Ledger(ObjectMapper json, AtomicLong invoiceNumbers, AtomicLong paymentNumbers) {
        this.json = json;
        this.invoiceNumbers = invoiceNumbers;
        this.paymentNumbers = paymentNumbers;
    }

    /** The invoice of a new IN_ADVANCE subscription: its first period, due from its start. */
    synchronized ObjectNode invoiceFirstPeriod(Subscription subscription, Instant catalogEffectiveDate) {
        Plan plan = subscription.plan();
        String invoiceId = UUID.randomUUID().toString();
        BigDecimal amount = plan.price().setScale(2, RoundingMode.HALF_UP);
        ObjectNode invoice = json.createObjectNode();
        invoice.put("amount", amount);
        invoice.put("currency", plan.currency());
        invoice.put("status", "COMMITTED");
        invoice.put("creditAdj", new BigDecimal("0.00"));
        invoice.put("refundAdj", new BigDecimal("0.00"));
        invoice.put("invoiceId", invoiceId);
        invoice.put("invoiceDate", subscription.startDate().toString());
        invoice.put("targetDate", subscription.startDate().toString());
        invoice.put("invoiceNumber", String.valueOf(invoiceNumbers.incrementAndGet()));
        invoice.put("balance", amount);
        invoice.put("accountId", subscription.accountId());
        invoice.putNull("bundleKeys");
        invoice.putNull("credits");
        ObjectNode item = invoice.putArray("items").addObject();
        item.put("invoiceItemId", UUID.randomUUID().toString());
        item.put("invoiceId", invoiceId);
        item.putNull("linkedInvoiceItemId");
        item.put("accountId", subscription.accountId());
        item.putNull("childAccountId");
        item.put("bundleId", subscription.bundleId());
        item.put("subscriptionId", subscription.subscriptionId());
        item.put("productName", plan.product());
        item.put("planName", plan.name());
        item.put("phaseName", plan.phaseName());
        item.putNull("usageName");
        item.put("prettyProductName", plan.product());
        item.put("prettyPlanName", plan.name());
        item.put("prettyPhaseName", plan.phaseName());
        item.putNull("prettyUsageName");
        item.put("itemType", "RECURRING");
        item.put("description", plan.phaseName());
        item.put("startDate", subscription.startDate().toString());
        item.put("endDate", subscription.chargedThroughDate().toString());
        item.put("amount", amount);
        item.put("rate", plan.price().setScale(9, RoundingMode.HALF_UP));
        item.put("currency", plan.currency());
        item.putNull("quantity");
        item.putNull("itemDetails");
        item.put("catalogEffectiveDate", INSTANT.format(catalogEffectiveDate));
        item.putNull("childItems");
        item.putArray("auditLogs");
        invoice.putArray("trackingIds");
        invoice.put("isParentInvoice", false);
        invoice.putNull("parentInvoiceId");
        invoice.putNull("parentAccountId");
        invoice.putArray("auditLogs");
        invoices.add(invoice);
        return invoice;
    }

    synchronized Optional<ObjectNode> invoice(String invoiceId) {
        return invoices.stream().filter(i -> i.path("invoiceId").asText().equals(invoiceId)).findFirst().map(ObjectNode::deepCopy);
    }

    synchronized List<ObjectNode> invoices() {
        return invoices.stream().map(ObjectNode::deepCopy).toList();
    }

    /**
     * An external payment against an invoice: the whole balance when no amount is given, a part of it otherwise;
     * more than the balance is refused.
     */
    synchronized ObjectNode pay(String invoiceId, String accountId, BigDecimal requested) {
        ObjectNode invoice = invoices.stream().filter(i -> i.path("invoiceId").asText().equals(invoiceId)).findFirst()
                .orElseThrow(() -> new KillBillError(500, PAYMENT_API, 7019, "Internal payment error : "
                        + "org.killbill.billing.control.plugin.api.PaymentControlApiException: {cause=null, code=4006, "
                        + "formattedMsg='No invoice could be found for id " + invoiceId + ".'}"));
        BigDecimal balance = invoice.path("balance").decimalValue();
        BigDecimal amount = (requested == null ? balance : requested).setScale(2, RoundingMode.HALF_UP);
        if (amount.compareTo(balance) > 0) {
            throw new KillBillError(400, PAYMENT_API, 7199, "Plugin exception Invalid amount '" + requested
                    + "' for invoice '" + invoiceId + "': invoice balance is = '" + balance + "'");
        }
        invoice.put("balance", balance.subtract(amount));

        String paymentId = UUID.randomUUID().toString();
        String transactionId = UUID.randomUUID().toString();
        ObjectNode payment = json.createObjectNode();
        payment.put("targetInvoiceId", invoiceId);
        payment.put("accountId", accountId);
        payment.put("paymentId", paymentId);
        payment.put("paymentNumber", String.valueOf(paymentNumbers.incrementAndGet()));
        payment.put("paymentExternalKey", paymentId);
        payment.put("authAmount", BigDecimal.ZERO);
        payment.put("capturedAmount", BigDecimal.ZERO);
        payment.put("purchasedAmount", amount);
        payment.put("refundedAmount", BigDecimal.ZERO);
        payment.put("creditedAmount", BigDecimal.ZERO);
        payment.put("currency", invoice.path("currency").asText());
        // Kill Bill adds one external payment method to an account on its first external payment
        payment.put("paymentMethodId", externalPaymentMethods.computeIfAbsent(accountId, a -> UUID.randomUUID().toString()));
        ObjectNode transaction = payment.putArray("transactions").addObject();
        transaction.put("transactionId", transactionId);
        transaction.put("transactionExternalKey", transactionId);
        transaction.put("paymentId", paymentId);
        transaction.put("paymentExternalKey", paymentId);
        transaction.put("transactionType", "PURCHASE");
        transaction.put("amount", amount);
        transaction.put("currency", invoice.path("currency").asText());
        transaction.put("effectiveDate", INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        transaction.put("processedAmount", amount);
        transaction.put("processedCurrency", invoice.path("currency").asText());
        transaction.put("status", "SUCCESS");
        transaction.putNull("gatewayErrorCode");
        transaction.putNull("gatewayErrorMsg");
        transaction.putNull("firstPaymentReferenceId");
        transaction.putNull("secondPaymentReferenceId");
        transaction.putNull("properties");
        transaction.putArray("auditLogs");
        payment.putNull("paymentAttempts");
        payment.putArray("auditLogs");
        payments.add(payment);
        return payment.deepCopy();
    }

    /** Payments as GET /1.0/kb/invoicePayments/{paymentId} shows them: with targetInvoiceId. */
    synchronized List<ObjectNode> invoicePayments() {
        return payments.stream().map(ObjectNode::deepCopy).toList();
    }
}
