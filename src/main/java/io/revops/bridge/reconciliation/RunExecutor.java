package io.revops.bridge.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * Carries out one run: the objects one after the other, each page by page from the cursor the run last saved (so a run
 * continued after a crash starts at the page it had not finished), each page's findings and next cursor stored
 * together. When an object is done, its drifts this run did not find again are closed. Any failure ends the run as
 * failed with its cause; the next run continues from its last saved cursor.
 */
final class RunExecutor {
    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    private final ReconciliationStore store;
    private final List<ObjectReconciler> reconcilers;
    private final Consumer<StoredDrift> found;

    /**
     * @param reconcilers in the order to reconcile
     * @param found       told of each drift stored (the automatic repair policy)
     */
    RunExecutor(ReconciliationStore store, List<ObjectReconciler> reconcilers, Consumer<StoredDrift> found) {
        this.store = store;
        this.reconcilers = reconcilers;
        this.found = found;
    }

    /** @return true when the run completed */
    boolean execute(String runId) {
        try {
            for (ObjectReconciler reconciler : reconcilers) {
                reconcile(runId, reconciler);
            }
            store.finishRun(runId, "completed", null);
            LOG.infof("Reconciliation run %s completed", runId);
            return true;
        } catch (Exception e) {
            String cause = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warnf("Reconciliation run %s failed: %s", runId, cause);
            try {
                store.finishRun(runId, "failed", cause);
            } catch (Exception notStored) {
                LOG.errorf("Reconciliation run %s failed and cannot be marked failed: %s", runId, notStored.getMessage());
            }
            return false;
        }
    }

    private void reconcile(String runId, ObjectReconciler reconciler) throws Exception {
        String object = reconciler.object();
        var progress = store.progress(runId, object);
        // compared already when done before a crash, or by the failed run this one continues: only the closing is left
        if (progress.isEmpty() || progress.get().completed() == null) {
            String cursor = progress.map(RunSummary.ObjectProgress::cursor).orElse(null);
            do {
                List<Drift> drifts = new ArrayList<>();
                String next = reconciler.reconcilePage(cursor, drifts::add);
                for (StoredDrift drift : store.recordPage(runId, object, drifts, next)) {
                    found.accept(drift);
                }
                cursor = next;
            } while (cursor != null);
        }
        int closed = store.closeNotFoundAgain(runId, object);
        LOG.infof("Reconciliation run %s: %s done, %d drift(s) closed", runId, object, closed);
    }
}
