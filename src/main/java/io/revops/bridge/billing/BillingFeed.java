package io.revops.bridge.billing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What billing produced, invoices and payments, read in the order Kill Bill created them (its pagination lists a
 * tenant's records oldest first), from a position the caller checkpoints: polling, no webhooks. Each record
 * carries our keys next to Kill Bill's ids, so the consumer can find the Salesforce account and order line.
 * Positions are Kill Bill pagination offsets: stable because Kill Bill never deletes invoices or payments. (A record
 * whose transaction commits after a later-numbered one's can be passed over by a read at that very moment: consumers
 * key on invoiceId and paymentId; {@link BillingFeedOverlap} re-reads a number of records behind the position to pick
 * such a record up.)
 */
@ApplicationScoped
@Named("billingFeed")
public class BillingFeed {
    private static final int CACHED_KEYS = 10_000;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private record SubscriptionKeys(String externalKey, String bundleExternalKey) {
    }

    private final KillBillClient client;
    private final LookupCache<String, String> accountKeys;
    private final LookupCache<String, SubscriptionKeys> subscriptionKeys;
    private final LookupCache<String, String> invoiceNumbers;

    @Inject
    public BillingFeed(KillBillClient client) {
        this.client = client;
        this.accountKeys = new LookupCache<>(CACHED_KEYS, id -> read("/1.0/kb/accounts/" + id).path("externalKey").asText());
        this.subscriptionKeys = new LookupCache<>(CACHED_KEYS, id -> {
            JsonNode subscription = read("/1.0/kb/subscriptions/" + id);
            return new SubscriptionKeys(subscription.path("externalKey").asText(), subscription.path("bundleExternalKey").asText());
        });
        this.invoiceNumbers = new LookupCache<>(CACHED_KEYS, id -> read("/1.0/kb/invoices/" + id).path("invoiceNumber").asText());
    }

    /**
     * Invoices after {@code position}, each as Kill Bill returns it (invoiceId, invoiceNumber, accountId, invoiceDate,
     * targetDate, currency, amount, balance, status, items) plus accountExternalKey, and on each subscription item
     * subscriptionExternalKey and bundleExternalKey. Balances are as of this read; payments come through
     * {@link #paymentsAfter}.
     */
    public BillingPage invoicesAfter(long position, int limit) {
        return invoicesListedFrom(position, position, limit, id -> false);
    }

    /**
     * Invoices listed from {@code from} (at or before {@code position}) up to {@code limit} after {@code position},
     * leaving out those whose id {@code published} knows without reading them: the page of a reader that re-reads
     * an overlap window behind its position. nextPosition is never before {@code position}.
     */
    BillingPage invoicesListedFrom(long from, long position, int limit, Predicate<String> published) {
        return listedFrom("/1.0/kb/invoices/pagination", "invoiceId", from, position, limit, published, this::invoice);
    }

    /** The invoice Kill Bill numbered {@code invoiceNumber}, as {@link #invoicesAfter} gives it; empty if none. */
    public java.util.Optional<Map<String, Object>> invoiceByNumber(long invoiceNumber) {
        return client.find("/1.0/kb/invoices/byNumber/" + invoiceNumber).map(this::invoice);
    }

    /** The payment {@code paymentId}, as {@link #paymentsAfter} gives it; empty if Kill Bill does not know it. */
    public java.util.Optional<Map<String, Object>> payment(String paymentId) {
        return client.find("/1.0/kb/invoicePayments/" + paymentId).map(this::payment);
    }

    private Map<String, Object> invoice(JsonNode listed) {
        // the pagination lists invoices without their items and with amount and balance 0.00: read each one
        ObjectNode invoice = (ObjectNode) read("/1.0/kb/invoices/" + listed.path("invoiceId").asText() + "?withItems=true");
        invoice.put("accountExternalKey", accountKeys.get(invoice.path("accountId").asText()));
        planOfRepairs(invoice);
        for (JsonNode item : invoice.path("items")) {
            if (item.hasNonNull("subscriptionId")) {
                SubscriptionKeys keys = subscriptionKeys.get(item.path("subscriptionId").asText());
                ((ObjectNode) item).put("subscriptionExternalKey", keys.externalKey());
                ((ObjectNode) item).put("bundleExternalKey", keys.bundleExternalKey());
            }
        }
        return KillBillClient.JSON.convertValue(invoice, MAP);
    }

    /**
     * A REPAIR_ADJ item (Kill Bill's credit for the unused part of a paid period that ended early) carries no plan or
     * subscription, only the item it repairs (linkedInvoiceItemId), which is on an earlier invoice of the account: the
     * repaired item's plan and subscription are copied onto it, so the credit names the product and the order it
     * credits. One read of the account's invoices, only for an invoice holding such an item.
     */
    private void planOfRepairs(ObjectNode invoice) {
        List<ObjectNode> repairs = new ArrayList<>();
        invoice.path("items").forEach(item -> {
            if (item.hasNonNull("linkedInvoiceItemId") && !item.hasNonNull("planName")) {
                repairs.add((ObjectNode) item);
            }
        });
        if (repairs.isEmpty()) {
            return;
        }
        Map<String, JsonNode> items = new HashMap<>();
        read("/1.0/kb/accounts/" + invoice.path("accountId").asText() + "/invoices?withItems=true")
                .forEach(other -> other.path("items").forEach(item -> items.put(item.path("invoiceItemId").asText(), item)));
        for (ObjectNode repair : repairs) {
            JsonNode repaired = items.get(repair.path("linkedInvoiceItemId").asText());
            if (repaired != null) {
                repair.set("planName", repaired.get("planName"));
                repair.set("subscriptionId", repaired.get("subscriptionId"));
            }
        }
    }

    /**
     * Payments after {@code position}, each as Kill Bill returns it (paymentId, paymentNumber, accountId,
     * purchasedAmount, currency, transactions with transactionType, status, amount, effectiveDate) plus
     * accountExternalKey, and targetInvoiceId and targetInvoiceNumber (null for a payment not made against an invoice).
     */
    public BillingPage paymentsAfter(long position, int limit) {
        return paymentsListedFrom(position, position, limit, id -> false);
    }

    /** Payments as {@link #invoicesListedFrom} lists invoices. */
    BillingPage paymentsListedFrom(long from, long position, int limit, Predicate<String> published) {
        return listedFrom("/1.0/kb/payments/pagination", "paymentId", from, position, limit, published, this::payment);
    }

    private Map<String, Object> payment(JsonNode listed) {
        // the pagination leaves out the invoice; Kill Bill's invoice payment view of the same payment names it
        ObjectNode payment = (ObjectNode) client.find("/1.0/kb/invoicePayments/" + listed.path("paymentId").asText())
                .orElse(listed.deepCopy());
        String invoiceId = payment.path("targetInvoiceId").asText(null);
        payment.put("targetInvoiceId", invoiceId);
        payment.put("targetInvoiceNumber", invoiceId == null ? null : invoiceNumbers.get(invoiceId));
        payment.put("accountExternalKey", accountKeys.get(payment.path("accountId").asText()));
        return KillBillClient.JSON.convertValue(payment, MAP);
    }

    private BillingPage listedFrom(String pagination, String idField, long from, long position, int limit,
            Predicate<String> published, Function<JsonNode, Map<String, Object>> describe) {
        if (from > position) {
            throw new IllegalArgumentException("cannot list from " + from + ", after the position " + position);
        }
        JsonNode listed = page(pagination, from, Math.toIntExact(position - from) + limit);
        List<Map<String, Object>> records = new ArrayList<>();
        for (JsonNode record : listed) {
            if (!published.test(record.path(idField).asText())) {
                records.add(describe.apply(record));
            }
        }
        return new BillingPage(records, Math.max(position, from + listed.size()));
    }

    private JsonNode page(String path, long position, int limit) {
        if (position < 0 || limit < 1) {
            throw new IllegalArgumentException("position must be >= 0 and limit >= 1, not " + position + " and " + limit);
        }
        return read(path + "?offset=" + position + "&limit=" + limit);
    }

    private JsonNode read(String path) {
        return client.find(path).orElseThrow(() -> new IllegalStateException("Kill Bill does not find " + path));
    }
}
