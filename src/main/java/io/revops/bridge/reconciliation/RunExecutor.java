package io.revops.bridge.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * Carries out one run: the objects one after the other, each page by page from the cursor the run last saved (so a run
 * continued after a crash starts at the page it had not finished), each page's findings and next cursor stored
 * together. When an object is done, its drifts this run did not find again are closed. Any failure ends the run as
 * failed with its cause; the next run continues from its last saved cursor. The run is claimed for this replica first
 * and the claim renewed with every page: a run another replica is carrying out is skipped, and a replica whose claim
 * was taken over (it stalled past the claim's time to live) stops without touching the run again.
 */
final class RunExecutor {
    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    /** What became of a run this replica was asked to carry out. */
    enum Outcome {
        COMPLETED, FAILED,
        /** another replica holds a live claim on it */
        CLAIMED_ELSEWHERE,
        /** this replica's claim expired mid-run and another replica took the run over */
        CLAIM_LOST
    }

    private final ReconciliationStore store;
    private final List<ObjectReconciler> reconcilers;
    private final Consumer<StoredDrift> found;
    private final RunClaim claim;

    /**
     * @param reconcilers in the order to reconcile
     * @param found       told of each drift stored (the automatic repair policy)
     * @param claim       this replica's claim on the run
     */
    RunExecutor(ReconciliationStore store, List<ObjectReconciler> reconcilers, Consumer<StoredDrift> found, RunClaim claim) {
        this.store = store;
        this.reconcilers = reconcilers;
        this.found = found;
        this.claim = claim;
    }

    Outcome execute(String runId) {
        try {
            if (!store.claim(runId, claim)) {
                LOG.debugf("Reconciliation run %s is carried out by another replica", runId);
                return Outcome.CLAIMED_ELSEWHERE;
            }
            for (ObjectReconciler reconciler : reconcilers) {
                reconcile(runId, reconciler);
            }
            store.finishRun(runId, "completed", null, claim);
            LOG.infof("Reconciliation run %s completed", runId);
            return Outcome.COMPLETED;
        } catch (ClaimLostException e) {
            LOG.warnf("Reconciliation run %s stopped here: %s", runId, e.getMessage());
            return Outcome.CLAIM_LOST;
        } catch (Exception e) {
            String cause = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warnf("Reconciliation run %s failed: %s", runId, cause);
            try {
                store.finishRun(runId, "failed", cause, claim);
            } catch (ClaimLostException lost) {
                LOG.warnf("Reconciliation run %s stopped here: %s", runId, lost.getMessage());
                return Outcome.CLAIM_LOST;
            } catch (Exception notStored) {
                LOG.errorf("Reconciliation run %s failed and cannot be marked failed: %s", runId, notStored.getMessage());
            }
            return Outcome.FAILED;
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
                for (StoredDrift drift : store.recordPage(runId, object, drifts, next, claim)) {
                    found.accept(drift);
                }
                cursor = next;
            } while (cursor != null);
        }
        int closed = store.closeNotFoundAgain(runId, object);
        LOG.infof("Reconciliation run %s: %s done, %d drift(s) closed", runId, object, closed);
    }
}
