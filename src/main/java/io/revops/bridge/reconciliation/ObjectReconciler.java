package io.revops.bridge.reconciliation;

import java.util.function.Consumer;

/**
 * Compares one kind of object across the three systems, a page at a time, so a run over 100,000 accounts stays
 * bounded in memory and continues after a crash from the last page it completed. Implementations are
 * {@code @ApplicationScoped} beans; the reconciliation runner finds them all.
 */
public interface ObjectReconciler {
    /** account, order, invoice or payment. */
    String object();

    /**
     * Compares the page after {@code cursor} (null: the first page) and reports each drift found.
     *
     * @return the cursor of the next page, or null when the object is done
     */
    String reconcilePage(String cursor, Consumer<Drift> drifts) throws Exception;

    /**
     * Repairs a drift through the normal routes: republishes the canonical event for its business key, read from the
     * system of record, with an event id derived from {@code repairId} so the routes' idempotency applies it once.
     */
    void repair(Drift drift, String repairId) throws Exception;
}
