package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.testing.FreePorts;

/**
 * The pollers' view of the billing feeds: a record that commits after a later-numbered one (staged in the emulator:
 * Kill Bill numbers a record when its transaction inserts it) is listed behind a position already passed; the overlap
 * window publishes it, once, and nothing already published again.
 */
class BillingFeedOverlapTest extends KillBillContract {
    private static final KillBillEmulator EMULATOR = new KillBillEmulator(FreePorts.any());

    private BillingFeed feed;
    private BillingSubscriptions subscriptions;
    private BillingPayments payments;

    @BeforeAll
    static void start() {
        EMULATOR.start();
    }

    @AfterAll
    static void stop() {
        EMULATOR.close();
    }

    @Override
    protected String baseUrl() {
        return EMULATOR.baseUrl();
    }

    @BeforeEach
    void adapters() {
        feed = new BillingFeed(client);
        subscriptions = new BillingSubscriptions(client, SeatClaims.inMemory());
        payments = new BillingPayments(client);
    }

    @Test
    void anInvoiceCommittedBehindThePositionIsPublishedOnceByTheNextPoll() {
        BillingFeedOverlap poller = new BillingFeedOverlap(feed, 100);
        String account = billingAccount();
        Poll poll = new Poll(poller, drain(poller));
        subscribe(account);
        assertThat(poll.invoices()).hasSize(1);

        EMULATOR.commitNextInvoiceLate();
        String late = subscribe(account);
        String onTime = subscribe(account);
        assertThat(poll.invoices()).extracting(BillingFeedOverlapTest::subscriptionOf).containsExactly(onTime);

        EMULATOR.commitLateRecords();
        assertThat(poll.invoices()).as("only the late invoice, nothing published before")
                .extracting(BillingFeedOverlapTest::subscriptionOf).containsExactly(late);
        assertThat(poll.invoices()).isEmpty();
    }

    @Test
    void withoutAnOverlapTheLateInvoiceIsNeverRead() {
        BillingFeedOverlap poller = new BillingFeedOverlap(feed, 0);
        String account = billingAccount();
        Poll poll = new Poll(poller, drain(poller));
        EMULATOR.commitNextInvoiceLate();
        String late = subscribe(account);
        subscribe(account);
        assertThat(poll.invoices()).hasSize(1);

        EMULATOR.commitLateRecords();

        assertThat(poll.invoices()).as("the gap the overlap closes").isEmpty();
        assertThat(feed.invoicesAfter(0, 10_000).items()).extracting(BillingFeedOverlapTest::subscriptionOf).contains(late);
    }

    @Test
    void aPaymentCommittedBehindThePositionIsPublishedOnceByTheNextPoll() {
        BillingFeedOverlap poller = new BillingFeedOverlap(feed, 100);
        String account = billingAccount();
        subscribe(account);
        subscribe(account);
        List<String> invoiceIds = feed.invoicesAfter(0, 10_000).items().stream()
                .filter(i -> account.equals(i.get("accountExternalKey"))).map(i -> (String) i.get("invoiceId")).toList();
        Poll poll = new Poll(poller, drain(poller));
        poll.drainPayments();

        EMULATOR.commitNextPaymentLate();
        String late = payments.recordExternalPayment(invoiceIds.get(0), new BigDecimal("4.00"));
        String onTime = payments.recordExternalPayment(invoiceIds.get(1), new BigDecimal("10.00"));
        assertThat(poll.payments()).extracting(p -> p.get("paymentId")).containsExactly(onTime);

        EMULATOR.commitLateRecords();
        assertThat(poll.payments()).extracting(p -> p.get("paymentId")).containsExactly(late);
        assertThat(poll.payments()).isEmpty();
    }

    @Test
    void aPollerThatRestartedPublishesTheWindowOnceMoreAndThenOnlyWhatIsNew() {
        String account = billingAccount();
        subscribe(account);
        long position = drain(new BillingFeedOverlap(feed, 100));

        BillingFeedOverlap restarted = new BillingFeedOverlap(feed, 3);
        BillingPage first = restarted.invoicesAfter(position, 100);
        restarted.invoicesPublished(first);

        assertThat(first.items()).as("the window, again: the consumers drop it by invoice id").hasSize((int) Math.min(3, position));
        assertThat(restarted.invoicesAfter(first.nextPosition(), 100).items()).isEmpty();
    }

    /** Reads (and remembers as published) every invoice so far; returns the position after them. */
    private static long drain(BillingFeedOverlap poller) {
        long position = 0;
        for (BillingPage page = poller.invoicesAfter(position, 100); !page.items().isEmpty();
                page = poller.invoicesAfter(position, 100)) {
            poller.invoicesPublished(page);
            position = page.nextPosition();
        }
        return position;
    }

    /** One poller with its checkpoints, as the routes keep them. */
    private static final class Poll {
        private final BillingFeedOverlap poller;
        private long invoicePosition;
        private long paymentPosition;

        Poll(BillingFeedOverlap poller, long invoicePosition) {
            this.poller = poller;
            this.invoicePosition = invoicePosition;
        }

        List<Map<String, Object>> invoices() {
            BillingPage page = poller.invoicesAfter(invoicePosition, 100);
            poller.invoicesPublished(page);
            invoicePosition = page.nextPosition();
            return page.items();
        }

        List<Map<String, Object>> payments() {
            BillingPage page = poller.paymentsAfter(paymentPosition, 100);
            poller.paymentsPublished(page);
            paymentPosition = page.nextPosition();
            return page.items();
        }

        void drainPayments() {
            while (!payments().isEmpty()) {
                // every payment so far is published
            }
        }
    }

    private String subscribe(String account) {
        String order = orderNumber();
        String externalKey = order + "-1-1";
        subscriptions.activate(Map.of("accountKey", account, "orderNumber", order,
                "subscriptions", List.of(Map.of("externalKey", externalKey, "planName", "standard-monthly"))));
        return externalKey;
    }

    @SuppressWarnings("unchecked")
    private static String subscriptionOf(Map<String, Object> invoice) {
        return (String) ((List<Map<String, Object>>) invoice.get("items")).get(0).get("subscriptionExternalKey");
    }
}
