package io.revops.bridge.billing;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.revops.bridge.policy.RecentlyPublished;

/**
 * The billing feeds as the pollers read them: each page also re-lists the {@code revops.feeds.overlap-records}
 * records behind the checkpoint. Kill Bill numbers invoices and payments when their transaction starts, so one that
 * commits after a later-numbered one can be listed behind a position already passed; the re-read finds it. What
 * this instance published lately is left out before any per-record read, so a poll costs one extra listing call and
 * publishes only what it never published (after a restart the window is published once more: the consumers key on
 * invoiceId and paymentId and drop it).
 */
@ApplicationScoped
@Named("billingFeedOverlap")
public class BillingFeedOverlap {
    private final BillingFeed feed;
    private final int overlap;
    private final RecentlyPublished invoices;
    private final RecentlyPublished payments;

    @Inject
    public BillingFeedOverlap(BillingFeed feed, @ConfigProperty(name = "revops.feeds.overlap-records") int overlap) {
        if (overlap < 0) {
            throw new IllegalArgumentException("revops.feeds.overlap-records must be >= 0, not " + overlap);
        }
        this.feed = feed;
        this.overlap = overlap;
        // the window plus a few pages ahead of it: a record skipped as published is never forgotten within the window
        this.invoices = new RecentlyPublished(4 * (overlap + 1000));
        this.payments = new RecentlyPublished(4 * (overlap + 1000));
    }

    /** Invoices after {@code position}, and those listed in the window behind it that were not published yet. */
    public BillingPage invoicesAfter(long position, int limit) {
        return feed.invoicesListedFrom(Math.max(0, position - overlap), position, limit, invoices::contains);
    }

    /** Payments as {@link #invoicesAfter}. */
    public BillingPage paymentsAfter(long position, int limit) {
        return feed.paymentsListedFrom(Math.max(0, position - overlap), position, limit, payments::contains);
    }

    /** Route step after Kafka acknowledged the whole page. */
    public void invoicesPublished(BillingPage page) {
        invoices.addAll(ids(page.items(), "invoiceId"));
    }

    /** Route step after Kafka acknowledged the whole page. */
    public void paymentsPublished(BillingPage page) {
        payments.addAll(ids(page.items(), "paymentId"));
    }

    private static List<String> ids(List<Map<String, Object>> items, String field) {
        return items.stream().map(item -> String.valueOf(item.get(field))).toList();
    }
}
