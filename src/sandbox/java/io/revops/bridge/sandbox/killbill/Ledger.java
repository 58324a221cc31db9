package io.revops.bridge.sandbox.killbill;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.revops.bridge.sandbox.killbill.KillBillCatalog.Plan;
import io.revops.bridge.sandbox.killbill.SubscriptionStore.Subscription;

/**
 * One tenant's invoices and external payments, in creation order (Kill Bill's pagination order). Invoice and
 * payment numbers come from sequences shared by all tenants, as in the real server (one database sequence each).
 */
final class Ledger {
    private static final String PAYMENT_API = "org.killbill.billing.payment.api.PaymentApiException";
    private static final String INVOICE_API = "org.killbill.billing.invoice.api.InvoiceApiException";
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final ObjectMapper json;
    private final AtomicLong invoiceNumbers;
    private final AtomicLong paymentNumbers;
    private final List<ObjectNode> invoices = new ArrayList<>();
    private final List<ObjectNode> payments = new ArrayList<>();
    /** Invoices and payments by id, as Kill Bill's tables are keyed: a look-up by id neither scans nor copies the rest. */
    private final Map<String, ObjectNode> invoicesById = new HashMap<>();
    private final Map<String, ObjectNode> paymentsById = new HashMap<>();
    private final Map<String, String> externalPaymentMethods = new HashMap<>();
    private final LateCommits late;
    private final KillBillClock clock;

    Ledger(ObjectMapper json, AtomicLong invoiceNumbers, AtomicLong paymentNumbers, LateCommits late, KillBillClock clock) {
        this.json = json;
        this.clock = clock;
        this.invoiceNumbers = invoiceNumbers;
        this.paymentNumbers = paymentNumbers;
        this.late = late;
    }

    /**
     * Bills every period due by today (IN_ADVANCE): each subscription from its start or charged-through date, the
     * first period ending on the account's bill cycle day (prorated by days), whole periods after it, until a period
     * starts after today or billing ended. One invoice per account and period start, as Kill Bill's bill run per
     * cycle day; the store keeps the new charged-through dates.
     */
    synchronized List<ObjectNode> billDue(SubscriptionStore store, List<Subscription> subscriptions, LocalDate today,
            Instant catalogEffectiveDate) {
        Map<String, ObjectNode> invoicesByAccountAndDay = new LinkedHashMap<>();
        for (Subscription subscription : subscriptions) {
            Subscription s = subscription;
            while (s.dueBy(today)) {
                LocalDate from = s.chargedThroughDate() == null ? s.startDate() : s.chargedThroughDate();
                LocalDate to = s.plan().billingPeriodEnd(from, s.billCycleDay());
                ObjectNode invoice = invoicesByAccountAndDay.computeIfAbsent(s.accountId() + " " + from,
                        k -> newInvoice(subscription.accountId(), subscription.plan().currency(), today, from));
                ((ArrayNode) invoice.get("items")).add(recurringItem(invoice, s, from, to, catalogEffectiveDate));
                s = store.chargeThrough(s.subscriptionId(), to);
            }
        }
        invoicesByAccountAndDay.values().forEach(this::commit);
        return List.copyOf(invoicesByAccountAndDay.values());
    }

    /**
     * Kill Bill's repair when billing of a paid period ends early (billingPolicy IMMEDIATE), as the real 0.22.26 books
     * it: an invoice of its own with a REPAIR_ADJ item for the unused days (linked to the recurring item it repairs)
     * and a CBA_ADJ putting that amount on the account as credit (amount -x, creditAdj +x, balance 0); the credit is
     * then used on the account's unpaid invoices, oldest first (a CBA_ADJ "use of account credit" on each).
     */
    synchronized void repair(Subscription subscription, LocalDate billingEnd, LocalDate today) {
        ObjectNode repaired = recurringItemBilling(subscription.subscriptionId(), billingEnd);
        if (repaired == null) {
            return;
        }
        LocalDate end = LocalDate.parse(repaired.path("endDate").asText());
        BigDecimal unused = unusedFrom(repaired, billingEnd);
        if (unused.signum() == 0) {
            return;
        }
        ObjectNode credit = newInvoice(subscription.accountId(), repaired.path("currency").asText(), today, today);
        ObjectNode repair = item(credit, "REPAIR_ADJ", "Adjustment (subscription change)", billingEnd, end, unused.negate());
        repair.put("linkedInvoiceItemId", repaired.path("invoiceItemId").asText());
        ((ArrayNode) credit.get("items")).add(repair);
        ((ArrayNode) credit.get("items")).add(item(credit, "CBA_ADJ", "Adjustment (account credit)", today, today, unused));
        credit.put("amount", unused.negate());
        credit.put("creditAdj", unused);
        credit.put("balance", new BigDecimal("0.00"));
        commit(credit);
        useCredit(subscription.accountId(), unused, today);
    }

    /** Account credit used on the account's unpaid invoices, oldest first (a CBA_ADJ "use of account credit" on each). */
    private void useCredit(String accountId, BigDecimal credit, LocalDate today) {
        BigDecimal left = credit;
        for (ObjectNode invoice : invoices) {
            BigDecimal balance = invoice.path("balance").decimalValue();
            if (left.signum() > 0 && balance.signum() > 0 && invoice.path("accountId").asText().equals(accountId)) {
                BigDecimal used = balance.min(left);
                ((ArrayNode) invoice.get("items")).add(item(invoice, "CBA_ADJ", "Adjustment (use of account credit)",
                        today, today, used.negate()));
                invoice.put("creditAdj", invoice.path("creditAdj").decimalValue().subtract(used));
                invoice.put("balance", balance.subtract(used));
                left = left.subtract(used);
            }
        }
    }

    /**
     * Kill Bill's proration of a change of plan within a paid period, as the real 0.22.26 books it: an invoice with the
     * new plan's RECURRING item for the rest of the period and a REPAIR_ADJ of the old plan's unused days (linked to
     * the item it repairs). A downgrade's negative total goes on the account as credit (CBA_ADJ), as for a repair.
     */
    synchronized void changePlan(Subscription before, Subscription after, LocalDate today, Instant catalogEffectiveDate) {
        ObjectNode repaired = recurringItemBilling(before.subscriptionId(), today);
        if (repaired == null) {
            return; // nothing billed for today yet: the next bill run bills the new plan
        }
        LocalDate end = LocalDate.parse(repaired.path("endDate").asText());
        BigDecimal unused = unusedFrom(repaired, today);
        ObjectNode invoice = newInvoice(after.accountId(), after.plan().currency(), today, today);
        ((ArrayNode) invoice.get("items")).add(recurringItem(invoice, after, today, end, catalogEffectiveDate));
        ObjectNode repair = item(invoice, "REPAIR_ADJ", "Adjustment (subscription change)", today, end, unused.negate());
        repair.put("linkedInvoiceItemId", repaired.path("invoiceItemId").asText());
        ((ArrayNode) invoice.get("items")).add(repair);
        BigDecimal total = invoice.path("amount").decimalValue().subtract(unused);
        invoice.put("amount", total);
        invoice.put("balance", total.max(BigDecimal.ZERO).setScale(2, RoundingMode.HALF_UP));
        if (total.signum() < 0) {
            ((ArrayNode) invoice.get("items")).add(item(invoice, "CBA_ADJ", "Adjustment (account credit)", today, today, total.negate()));
            invoice.put("creditAdj", total.negate());
        }
        commit(invoice);
        if (total.signum() < 0) {
            useCredit(after.accountId(), total.negate(), today);
        }
    }

    /** The subscription's RECURRING item whose period holds day and goes on after it (the last billed, if several). */
    private ObjectNode recurringItemBilling(String subscriptionId, LocalDate day) {
        ObjectNode found = null;
        for (ObjectNode invoice : invoices) {
            for (JsonNode item : invoice.path("items")) {
                if ("RECURRING".equals(item.path("itemType").asText())
                        && subscriptionId.equals(item.path("subscriptionId").asText())
                        && !LocalDate.parse(item.path("startDate").asText()).isAfter(day)
                        && LocalDate.parse(item.path("endDate").asText()).isAfter(day)) {
                    found = (ObjectNode) item;
                }
            }
        }
        return found;
    }

    /** The item's amount for its days from {@code from} to its end, prorated by day as Kill Bill does. */
    private static BigDecimal unusedFrom(JsonNode item, LocalDate from) {
        LocalDate start = LocalDate.parse(item.path("startDate").asText());
        LocalDate end = LocalDate.parse(item.path("endDate").asText());
        return item.path("amount").decimalValue()
                .multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(from, end)))
                .divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(start, end)), 2, RoundingMode.HALF_UP);
    }

    private ObjectNode newInvoice(String accountId, String currency, LocalDate invoiceDate, LocalDate targetDate) {
        ObjectNode invoice = json.createObjectNode();
        invoice.put("amount", new BigDecimal("0.00"));
        invoice.put("currency", currency);
        invoice.put("status", "COMMITTED");
        invoice.put("creditAdj", new BigDecimal("0.00"));
        invoice.put("refundAdj", new BigDecimal("0.00"));
        invoice.put("invoiceId", UUID.randomUUID().toString());
        invoice.put("invoiceDate", invoiceDate.toString());
        invoice.put("targetDate", targetDate.toString());
        invoice.put("invoiceNumber", String.valueOf(invoiceNumbers.incrementAndGet()));
        invoice.put("balance", new BigDecimal("0.00"));
        invoice.put("accountId", accountId);
        invoice.putNull("bundleKeys");
        invoice.putNull("credits");
        invoice.putArray("items");
        invoice.putArray("trackingIds");
        invoice.put("isParentInvoice", false);
        invoice.putNull("parentInvoiceId");
        invoice.putNull("parentAccountId");
        invoice.putArray("auditLogs");
        return invoice;
    }

    /** A period of a subscription on an invoice: the plan's price, prorated by days when the period is not whole. */
    private ObjectNode recurringItem(ObjectNode invoice, Subscription s, LocalDate from, LocalDate to, Instant catalogEffectiveDate) {
        Plan plan = s.plan();
        LocalDate wholeFrom = from;
        while (plan.periodEnd(wholeFrom).isAfter(to)) {
            wholeFrom = wholeFrom.minusDays(1); // the whole period ending on "to" (plan periods are at least a day)
        }
        BigDecimal amount = plan.price().multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(from, to)))
                .divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(wholeFrom, to)), 2, RoundingMode.HALF_UP);
        ObjectNode item = item(invoice, "RECURRING", plan.phaseName(), from, to, amount);
        item.put("bundleId", s.bundleId());
        item.put("subscriptionId", s.subscriptionId());
        item.put("productName", plan.product());
        item.put("planName", plan.name());
        item.put("phaseName", plan.phaseName());
        item.put("prettyProductName", plan.product());
        item.put("prettyPlanName", plan.name());
        item.put("prettyPhaseName", plan.phaseName());
        item.put("rate", plan.price().setScale(9, RoundingMode.HALF_UP));
        item.put("catalogEffectiveDate", INSTANT.format(catalogEffectiveDate));
        BigDecimal total = invoice.path("amount").decimalValue().add(amount);
        invoice.put("amount", total);
        invoice.put("balance", total);
        return item;
    }

    private ObjectNode item(ObjectNode invoice, String type, String description, LocalDate from, LocalDate to, BigDecimal amount) {
        ObjectNode item = json.createObjectNode();
        item.put("invoiceItemId", UUID.randomUUID().toString());
        item.put("invoiceId", invoice.path("invoiceId").asText());
        item.putNull("linkedInvoiceItemId");
        item.put("accountId", invoice.path("accountId").asText());
        item.putNull("childAccountId");
        for (String field : List.of("bundleId", "subscriptionId", "productName", "planName", "phaseName", "usageName",
                "prettyProductName", "prettyPlanName", "prettyPhaseName", "prettyUsageName")) {
            item.putNull(field);
        }
        item.put("itemType", type);
        item.put("description", description);
        item.put("startDate", from.toString());
        item.put("endDate", to.toString());
        item.put("amount", amount.setScale(2, RoundingMode.HALF_UP));
        item.putNull("rate");
        item.put("currency", invoice.path("currency").asText());
        item.putNull("quantity");
        item.putNull("itemDetails");
        item.putNull("catalogEffectiveDate");
        item.putNull("childItems");
        item.putArray("auditLogs");
        return item;
    }

    private void commit(ObjectNode invoice) {
        invoices.add(invoice);
        invoicesById.put(invoice.path("invoiceId").asText(), invoice);
        late.invoiceCreated(invoice.path("invoiceId").asText());
    }

    synchronized Optional<ObjectNode> invoice(String invoiceId) {
        return Optional.ofNullable(invoicesById.get(invoiceId)).filter(i -> late.visible(invoiceId)).map(ObjectNode::deepCopy);
    }

    /** The committed invoices of one account, in creation order: only those are copied. */
    synchronized List<ObjectNode> invoicesOf(String accountId) {
        return invoices.stream().filter(i -> i.path("accountId").asText().equals(accountId))
                .filter(i -> late.visible(i.path("invoiceId").asText())).map(ObjectNode::deepCopy).toList();
    }

    synchronized Optional<ObjectNode> invoiceByNumber(String invoiceNumber) {
        return invoices.stream().filter(i -> i.path("invoiceNumber").asText().equals(invoiceNumber))
                .filter(i -> late.visible(i.path("invoiceId").asText())).findFirst().map(ObjectNode::deepCopy);
    }

    /** A committed payment as GET /1.0/kb/invoicePayments/{paymentId} shows it. */
    synchronized Optional<ObjectNode> invoicePayment(String paymentId) {
        return Optional.ofNullable(paymentsById.get(paymentId)).filter(p -> late.visible(paymentId)).map(ObjectNode::deepCopy);
    }

    /**
     * One page of a listing, shaped as the listing shows a record, how many records the listing has in all, and where
     * the next page starts ({@code end}).
     */
    record Page(List<ObjectNode> records, int total, int end) {
        static Page of(List<ObjectNode> all, long offset, long limit, UnaryOperator<ObjectNode> listed) {
            int from = (int) Math.min(offset, all.size());
            int to = (int) Math.min(all.size(), offset + limit); // both within an int (KillBillEmulator.page)
            int end = Math.max(from, to);
            return new Page(all.subList(from, end).stream().map(listed).toList(), all.size(), end);
        }
    }

    /** A page of the committed invoices: only the records on it are copied (a poller pages through all of them). */
    synchronized Page invoicePage(long offset, long limit, UnaryOperator<ObjectNode> listed) {
        return Page.of(invoices.stream().filter(i -> late.visible(i.path("invoiceId").asText())).toList(), offset, limit,
                listed);
    }

    /** A page of the committed payments, as {@link #invoicePage}. */
    synchronized Page paymentPage(long offset, long limit, UnaryOperator<ObjectNode> listed) {
        return Page.of(payments.stream().filter(p -> late.visible(p.path("paymentId").asText())).toList(), offset, limit,
                listed);
    }

    /** The committed invoices (see {@link LateCommits}). */
    synchronized List<ObjectNode> invoices() {
        return invoices.stream().filter(i -> late.visible(i.path("invoiceId").asText())).map(ObjectNode::deepCopy).toList();
    }

    /**
     * An external payment against an invoice: the whole balance when no amount is given, a part of it otherwise;
     * more than the balance is refused.
     */
    synchronized ObjectNode pay(String invoiceId, String accountId, BigDecimal requested) {
        ObjectNode invoice = Optional.ofNullable(invoicesById.get(invoiceId))
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
        transaction.put("effectiveDate", INSTANT.format(clock.now().truncatedTo(ChronoUnit.SECONDS)));
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
        paymentsById.put(payment.path("paymentId").asText(), payment);
        late.paymentCreated(paymentId);
        return payment.deepCopy();
    }

    /**
     * POST /1.0/kb/invoices/{invoiceId} with an invoice item: an ITEM_ADJ item linked to it that takes {@code amount}
     * off the invoice (its amount and balance), as Kill Bill 0.22.26 does. Refused as the real server refuses: an
     * unknown item (4011), another currency (3), more than is left of the item after earlier adjustments (4020), a
     * description longer than its 255 characters (500, a database error).
     */
    synchronized ObjectNode adjustItem(String invoiceId, String itemId, BigDecimal requested, String currency,
            String description) {
        ObjectNode invoice = Optional.ofNullable(invoicesById.get(invoiceId))
                .orElseThrow(() -> KillBillError.unknown("INVOICE", invoiceId));
        ObjectNode item = null;
        BigDecimal left = BigDecimal.ZERO;
        for (var candidate : invoice.path("items")) {
            if (candidate.path("invoiceItemId").asText().equals(itemId)) {
                item = (ObjectNode) candidate;
                left = left.add(candidate.path("amount").decimalValue());
            } else if (candidate.path("linkedInvoiceItemId").asText().equals(itemId)) {
                left = left.add(candidate.path("amount").decimalValue()); // earlier adjustments are negative
            }
        }
        if (item == null) {
            throw new KillBillError(404, INVOICE_API, 4011, "No invoice item could be found for id " + itemId + ".");
        }
        String invoiceCurrency = invoice.path("currency").asText();
        if (currency != null && !currency.equals(invoiceCurrency)) {
            throw new KillBillError(400, INVOICE_API, 3, "Invalid currency " + currency + ", expected " + invoiceCurrency);
        }
        if (description != null && description.length() > 255) {
            // the real server fails its insert (invoice_items.description is VARCHAR(255)) and answers a 500
            throw new KillBillError(500, "java.lang.RuntimeException", null, "Value too long for column"
                    + " \"DESCRIPTION VARCHAR(255)\" (" + description.length() + ")");
        }
        BigDecimal amount = requested.setScale(2, RoundingMode.HALF_UP);
        if (amount.compareTo(left) > 0) {
            throw new KillBillError(400, INVOICE_API, 4020, "Invoice adjustment amount " + requested.toPlainString()
                    + " should be lower than " + left.setScale(9, RoundingMode.HALF_UP).toPlainString());
        }
        ObjectNode adjustment = ((ArrayNode) invoice.path("items")).addObject();
        adjustment.put("invoiceItemId", UUID.randomUUID().toString());
        adjustment.put("invoiceId", invoiceId);
        adjustment.put("linkedInvoiceItemId", itemId);
        adjustment.put("accountId", invoice.path("accountId").asText());
        adjustment.put("itemType", "ITEM_ADJ");
        adjustment.put("description", description);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        adjustment.put("startDate", today);
        adjustment.put("endDate", today);
        adjustment.put("amount", amount.negate());
        adjustment.put("currency", invoiceCurrency);
        adjustment.putArray("auditLogs");
        invoice.put("amount", invoice.path("amount").decimalValue().subtract(amount));
        invoice.put("balance", invoice.path("balance").decimalValue().subtract(amount));
        return invoice.deepCopy();
    }

    /**
     * POST /1.0/kb/payments/{paymentId}/refunds: a REFUND transaction adding to the payment's refundedAmount. As on
     * the real 0.22.26 server, a successful transaction's external key cannot be used twice (7030), and an external
     * payment may be refunded beyond what was paid (the server does not check it; the adapter does). The invoice's
     * balance is left as it is, as the real server leaves it.
     */
    synchronized ObjectNode refund(String paymentId, BigDecimal requested, String transactionExternalKey) {
        ObjectNode payment = Optional.ofNullable(paymentsById.get(paymentId))
                .orElseThrow(() -> KillBillError.unknown("PAYMENT", paymentId));
        String transactionId = UUID.randomUUID().toString();
        String key = transactionExternalKey == null ? transactionId : transactionExternalKey;
        for (var transaction : payment.path("transactions")) {
            if (key.equals(transaction.path("transactionExternalKey").asText())
                    && "SUCCESS".equals(transaction.path("status").asText())) {
                throw new KillBillError(400, PAYMENT_API, 7030, "Successful transaction with external key " + key
                        + " already exists");
            }
        }
        BigDecimal amount = requested.setScale(2, RoundingMode.HALF_UP);
        String currency = payment.path("currency").asText();
        ObjectNode transaction = ((ArrayNode) payment.path("transactions")).addObject();
        transaction.put("transactionId", transactionId);
        transaction.put("transactionExternalKey", key);
        transaction.put("paymentId", paymentId);
        transaction.put("paymentExternalKey", payment.path("paymentExternalKey").asText());
        transaction.put("transactionType", "REFUND");
        transaction.put("amount", amount);
        transaction.put("currency", currency);
        transaction.put("effectiveDate", INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        transaction.put("processedAmount", amount);
        transaction.put("processedCurrency", currency);
        transaction.put("status", "SUCCESS");
        transaction.putArray("auditLogs");
        payment.put("refundedAmount", payment.path("refundedAmount").decimalValue().add(amount));
        return payment.deepCopy();
    }

    /** Payments as GET /1.0/kb/invoicePayments/{paymentId} shows them: with targetInvoiceId. */
    synchronized List<ObjectNode> invoicePayments() {
        return payments.stream().filter(p -> late.visible(p.path("paymentId").asText())).map(ObjectNode::deepCopy).toList();
    }
}
