package io.revops.bridge.erp;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.revops.bridge.policy.RecentlyPublished;

/**
 * The ERP invoice feed as its poller reads it: each page is preceded by the changes written within
 * {@code revops.feeds.overlap} before the checkpoint that this instance has not published (Tryton stamps write_date
 * when the writing transaction starts, so a slow transaction's change can land behind a position already passed).
 * The window is searched for positions only, at most {@link #LATE_LIMIT} of them, newest first; after a restart it
 * is published once more and the consumers' idempotency (the event id names invoice, state and open amount) drops
 * the repeats.
 */
@ApplicationScoped
@Named("erpInvoiceFeedOverlap")
public class ErpInvoiceFeedOverlap {
    static final int LATE_LIMIT = 1000;

    private final ErpInvoices invoices;
    private final Duration overlap;
    private final RecentlyPublished published = new RecentlyPublished(4 * LATE_LIMIT);

    @Inject
    public ErpInvoiceFeedOverlap(ErpInvoices invoices, @ConfigProperty(name = "revops.feeds.overlap") Duration overlap) {
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("revops.feeds.overlap must not be negative, not " + overlap);
        }
        this.invoices = invoices;
        this.overlap = overlap;
    }

    public ErpInvoiceChanges changedSince(String position, int limit) {
        return invoices.changedSince(position, limit, overlap, LATE_LIMIT, published::contains);
    }

    /** Route step after Kafka acknowledged the whole page. */
    public void published(ErpInvoiceChanges page) {
        published.addAll(page.invoices().stream().map(invoice -> (String) invoice.get("changedAt")).toList());
    }
}
