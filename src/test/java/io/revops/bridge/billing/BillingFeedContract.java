package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What billing produced, read back through the feed: the first invoice of a new subscription, external payments
 * against it, positions. Kill Bill generates invoices asynchronously, so the contract awaits them; the emulator
 * generates them at once, which the same contract tolerates.
 */
abstract class BillingFeedContract extends KillBillContract {
    private static final Duration INVOICING = Duration.ofSeconds(30);
    private static final int PAGE = 50;

    protected BillingFeed feed;
    protected BillingSubscriptions subscriptions;
    protected BillingPayments payments;

    @BeforeEach
    void adapters() {
        feed = new BillingFeed(client);
        subscriptions = new BillingSubscriptions(client, SeatClaims.inMemory());
        payments = new BillingPayments(client);
    }

    @Test
    void theFirstInvoiceOfANewSubscriptionCarriesOurKeysAndThePlanPrice() {
        long from = end("/1.0/kb/invoices/pagination");
        String account = billingAccount();
        String subscription = subscribe(account, "standard-monthly");

        Map<String, Object> invoice = awaitInvoiceOf(subscription, from);

        assertThat(invoice).containsEntry("accountExternalKey", account).containsEntry("currency", "USD")
                .containsEntry("status", "COMMITTED").containsKeys("invoiceId", "invoiceNumber", "accountId",
                        "invoiceDate", "targetDate");
        // money as BigDecimal with Kill Bill's scale
        assertThat(invoice).containsEntry("amount", new BigDecimal("10.00")).containsEntry("balance", new BigDecimal("10.00"));
        Map<String, Object> item = itemOf(invoice, subscription).orElseThrow();
        assertThat(item).containsEntry("bundleExternalKey", subscription).containsEntry("planName", "standard-monthly")
                .containsEntry("itemType", "RECURRING").containsKeys("subscriptionId", "bundleId", "startDate", "endDate");
        assertThat(item).containsEntry("amount", new BigDecimal("10.00"));
        assertThat((String) item.get("endDate")).isGreaterThan((String) item.get("startDate"));
    }

    @Test
    void aFullExternalPaymentClearsTheInvoiceAndShowsInThePayments() {
        long paymentsFrom = end("/1.0/kb/payments/pagination");
        long from = end("/1.0/kb/invoices/pagination");
        String account = billingAccount();
        Map<String, Object> invoice = awaitInvoiceOf(subscribe(account, "standard-monthly"), from);
        String invoiceId = (String) invoice.get("invoiceId");

        String paymentId = payments.recordExternalPayment(invoiceId, new BigDecimal("10.00"));

        assertThat(balanceOf(invoiceId)).isEqualByComparingTo("0");
        Map<String, Object> payment = paymentsFrom(paymentsFrom).stream()
                .filter(p -> paymentId.equals(p.get("paymentId"))).findFirst().orElseThrow();
        assertThat(payment).containsEntry("accountExternalKey", account).containsEntry("targetInvoiceId", invoiceId)
                .containsEntry("targetInvoiceNumber", invoice.get("invoiceNumber")).containsEntry("currency", "USD")
                .containsEntry("accountId", invoice.get("accountId")).containsKey("paymentNumber");
        assertThat(payment).containsEntry("purchasedAmount", new BigDecimal("10.00"));
        @SuppressWarnings("unchecked")
        Map<String, Object> transaction = ((List<Map<String, Object>>) payment.get("transactions")).get(0);
        assertThat(transaction).containsEntry("transactionType", "PURCHASE").containsEntry("status", "SUCCESS")
                .containsKey("effectiveDate");
        assertThat((BigDecimal) transaction.get("amount")).isEqualByComparingTo("10.00");
    }

    @Test
    void aPartialPaymentLeavesTheRestOpen() {
        long paymentsFrom = end("/1.0/kb/payments/pagination");
        long from = end("/1.0/kb/invoices/pagination");
        String account = billingAccount();
        Map<String, Object> invoice = awaitInvoiceOf(subscribe(account, "standard-annual"), from);
        assertThat((BigDecimal) invoice.get("amount")).isEqualByComparingTo("100.00");
        String invoiceId = (String) invoice.get("invoiceId");

        String paymentId = payments.recordExternalPayment(invoiceId, new BigDecimal("40.00"));

        assertThat(balanceOf(invoiceId)).isEqualByComparingTo("60.00");
        assertThat(paymentsFrom(paymentsFrom)).filteredOn(p -> paymentId.equals(p.get("paymentId"))).singleElement()
                .satisfies(p -> assertThat((BigDecimal) p.get("purchasedAmount")).isEqualByComparingTo("40.00"))
                .satisfies(p -> assertThat(p).containsEntry("targetInvoiceId", invoiceId));
    }

    @Test
    void readingFromTheNextPositionReturnsOnlyNewerRecords() {
        long from = end("/1.0/kb/invoices/pagination");
        String account = billingAccount();
        String first = subscribe(account, "standard-monthly");
        awaitInvoiceOf(first, from);
        BillingPage before = feed.invoicesAfter(from, PAGE);
        assertThat(before.nextPosition()).isEqualTo(from + before.items().size());
        List<Object> seen = before.items().stream().map(i -> i.get("invoiceId")).toList();

        String second = subscribe(account, "premium-monthly");
        Map<String, Object> newer = awaitInvoiceOf(second, before.nextPosition());

        BillingPage after = feed.invoicesAfter(before.nextPosition(), PAGE);
        assertThat(after.items()).extracting(i -> i.get("invoiceId")).doesNotContainAnyElementsOf(seen)
                .contains(newer.get("invoiceId"));
        assertThat(after.nextPosition()).isEqualTo(before.nextPosition() + after.items().size());
        assertThat(feed.invoicesAfter(after.nextPosition() + 1000, PAGE))
                .isEqualTo(new BillingPage(List.of(), after.nextPosition() + 1000));
    }

    @Test
    void killBillListsInvoicesAndPaymentsShallowlySoTheFeedReadsEachOne() {
        long from = end("/1.0/kb/invoices/pagination");
        long paymentsFrom = end("/1.0/kb/payments/pagination");
        String subscription = subscribe(billingAccount(), "premium-monthly");
        String invoiceId = (String) awaitInvoiceOf(subscription, from).get("invoiceId");
        String paymentId = payments.recordExternalPayment(invoiceId, new BigDecimal("5.00"));

        JsonNode listed = client.find("/1.0/kb/invoices/pagination?offset=" + from + "&limit=" + PAGE + "&withItems=true")
                .orElseThrow();
        JsonNode invoice = StreamSupport.stream(listed.spliterator(), false)
                .filter(i -> i.path("invoiceId").asText().equals(invoiceId)).findFirst().orElseThrow();
        assertThat(invoice.path("items")).isEmpty();
        assertThat(invoice.path("amount").decimalValue()).isEqualByComparingTo("0");
        JsonNode payment = StreamSupport.stream(client.find("/1.0/kb/payments/pagination?offset=" + paymentsFrom
                + "&limit=" + PAGE).orElseThrow().spliterator(), false)
                .filter(p -> p.path("paymentId").asText().equals(paymentId)).findFirst().orElseThrow();
        assertThat(payment.has("targetInvoiceId")).isFalse();
        assertThat(client.find("/1.0/kb/invoicePayments/" + paymentId).orElseThrow().path("targetInvoiceId").asText())
                .isEqualTo(invoiceId);
    }

    @Test
    void aTenantWithoutInvoicesOrPaymentsHasAnEmptyFeed() {
        String apiKey = "revops-empty-" + UUID.randomUUID();
        KillBillTenants.ensureTenant(baseUrl(), "admin", "password", apiKey, "secret");
        BillingFeed empty = new BillingFeed(new KillBillClient(baseUrl(), "admin", "password", apiKey, "secret",
                Duration.ofSeconds(30)));

        assertThat(empty.invoicesAfter(0, PAGE)).isEqualTo(new BillingPage(List.of(), 0));
        assertThat(empty.paymentsAfter(0, PAGE)).isEqualTo(new BillingPage(List.of(), 0));
    }

    @Test
    void reconciliationReadsAnInvoiceByItsNumberAndAPaymentByItsIdAsTheFeedListsThem() {
        long from = end("/1.0/kb/invoices/pagination");
        long paymentsFrom = end("/1.0/kb/payments/pagination");
        Map<String, Object> listed = awaitInvoiceOf(subscribe(billingAccount(), "standard-monthly"), from);
        String paymentId = payments.recordExternalPayment((String) listed.get("invoiceId"), new BigDecimal("3.00"));

        Map<String, Object> byNumber = feed.invoiceByNumber(Long.parseLong(listed.get("invoiceNumber").toString())).orElseThrow();
        assertThat(byNumber).containsEntry("invoiceId", listed.get("invoiceId"))
                .containsEntry("accountExternalKey", listed.get("accountExternalKey")).containsEntry("amount", listed.get("amount"))
                .containsEntry("items", listed.get("items"));
        assertThat(feed.invoiceByNumber(Long.MAX_VALUE / 2)).isEmpty();
        assertThat(feed.payment(paymentId)).get().isEqualTo(paymentsFrom(paymentsFrom).stream()
                .filter(p -> paymentId.equals(p.get("paymentId"))).findFirst().orElseThrow());
    }

    @Test
    void theOverlapReadPublishesEachRecordOnceWhateverItReReads() {
        BillingFeedOverlap poller = new BillingFeedOverlap(feed, 5);
        BillingPage window = poller.invoicesAfter(end("/1.0/kb/invoices/pagination"), PAGE);
        poller.invoicesPublished(window); // a poller that just started publishes the window behind its position once
        long position = window.nextPosition();
        String subscription = subscribe(billingAccount(), "standard-monthly");
        Map<String, Object> newer = awaitInvoiceOf(subscription, position);

        BillingPage page = poller.invoicesAfter(position, PAGE);
        poller.invoicesPublished(page);

        assertThat(page.items()).extracting(i -> i.get("invoiceId")).contains(newer.get("invoiceId"));
        // the re-read window holds what was just published: none of it comes again (other runs' invoices may be new)
        assertThat(poller.invoicesAfter(page.nextPosition(), PAGE).items()).extracting(i -> i.get("invoiceId"))
                .doesNotContainAnyElementsOf(page.items().stream().map(i -> i.get("invoiceId")).toList());
    }

    /** Activates a one-line order for the account; returns the subscription's key. */
    private String subscribe(String account, String planName) {
        String order = orderNumber();
        String externalKey = order + "-1-1";
        subscriptions.activate(Map.of("accountKey", account, "orderNumber", order,
                "subscriptions", List.of(Map.of("externalKey", externalKey, "planName", planName))));
        return externalKey;
    }

    /** Waits for the invoice billing the subscription to show in the feed after {@code from}. */
    private Map<String, Object> awaitInvoiceOf(String subscriptionKey, long from) {
        AtomicReference<Map<String, Object>> found = new AtomicReference<>();
        await().atMost(INVOICING).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
            invoicesFrom(from).stream().filter(i -> itemOf(i, subscriptionKey).isPresent()).findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    private List<Map<String, Object>> invoicesFrom(long position) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (BillingPage page = feed.invoicesAfter(position, PAGE); !page.items().isEmpty();
                page = feed.invoicesAfter(page.nextPosition(), PAGE)) {
            all.addAll(page.items());
        }
        return all;
    }

    private List<Map<String, Object>> paymentsFrom(long position) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (BillingPage page = feed.paymentsAfter(position, PAGE); !page.items().isEmpty();
                page = feed.paymentsAfter(page.nextPosition(), PAGE)) {
            all.addAll(page.items());
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> itemOf(Map<String, Object> invoice, String subscriptionKey) {
        return ((List<Map<String, Object>>) invoice.get("items")).stream()
                .filter(item -> subscriptionKey.equals(item.get("subscriptionExternalKey"))).findFirst();
    }

    private BigDecimal balanceOf(String invoiceId) {
        return client.find("/1.0/kb/invoices/" + invoiceId).orElseThrow().path("balance").decimalValue();
    }

    /**
     * The current end of a pagination listing, counted over Kill Bill's raw pages (cheap: no per-record reads), so
     * a test reads only what it produced even on a Kill Bill that keeps every earlier run.
     */
    private long end(String pagination) {
        long count = 0;
        for (JsonNode page = client.find(pagination + "?offset=0&limit=1000").orElseThrow(); page.size() > 0;
                page = client.find(pagination + "?offset=" + count + "&limit=1000").orElseThrow()) {
            count += page.size();
        }
        return count;
    }
}
