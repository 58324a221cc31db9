package io.revops.bridge.sandbox.killbill;

import java.util.HashSet;
import java.util.Set;

/**
 * Emulator only: invoices and payments whose transaction has not committed yet. Kill Bill numbers a record (and
 * orders its listings by the record id) when the writing transaction inserts it, so a slow transaction's record can
 * become visible after a later-numbered one's, in its place in the listing, behind a reader that already passed it.
 * A held record exists in the ledger but no read shows it until {@link #commit()}.
 */
final class LateCommits {
    private boolean holdNextInvoice;
    private boolean holdNextPayment;
    private final Set<String> uncommitted = new HashSet<>();

    synchronized void holdNextInvoice() {
        holdNextInvoice = true;
    }

    synchronized void holdNextPayment() {
        holdNextPayment = true;
    }

    /** Called for each new invoice: held when one was asked for. */
    synchronized void invoiceCreated(String invoiceId) {
        if (holdNextInvoice) {
            holdNextInvoice = false;
            uncommitted.add(invoiceId);
        }
    }

    /** Called for each new payment: held when one was asked for. */
    synchronized void paymentCreated(String paymentId) {
        if (holdNextPayment) {
            holdNextPayment = false;
            uncommitted.add(paymentId);
        }
    }

    synchronized boolean visible(String id) {
        return !uncommitted.contains(id);
    }

    synchronized void commit() {
        uncommitted.clear();
    }
}
