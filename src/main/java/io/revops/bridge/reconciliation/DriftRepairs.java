package io.revops.bridge.reconciliation;

import java.sql.SQLException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.revops.bridge.ops.OperatorActions;
import io.revops.bridge.ops.ProblemException;

/**
 * Repairs a drift once: the request is audited first (who, from where, why; no audit, no repair), then the drift is
 * claimed (open -> repair-requested, so of two concurrent requests one wins), then its object's reconciler republishes
 * the canonical event from the system of record. Published: repaired, and the next run closes it once the routes
 * applied it. Failed: open again with the same repair id, so a retry is the same event.
 */
@ApplicationScoped
public class DriftRepairs {
    private static final Logger LOG = Logger.getLogger(DriftRepairs.class);

    private final ReconciliationStore store;
    private final Instance<ObjectReconciler> reconcilers;
    private final OperatorActions audit;
    private final ReconciliationMetrics metrics;

    @Inject
    public DriftRepairs(ReconciliationStore store, Instance<ObjectReconciler> reconcilers, OperatorActions audit,
            ReconciliationMetrics metrics) {
        this.store = store;
        this.reconcilers = reconcilers;
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * @param channel api (an operator) or auto-repair (the policy revops.reconciliation.auto-repair)
     * @return the drift after the repair was published
     */
    public StoredDrift repair(String driftId, String actor, String clientAddress, String channel, String reason)
            throws SQLException {
        StoredDrift drift = store.find(driftId).orElseThrow(() -> new ProblemException(404, "not-found", "no drift " + driftId));
        if (drift.kind().equals(DriftKind.DUPLICATE_IN_TARGET.wire())) {
            throw ProblemException.conflict("drift " + driftId + " is a duplicate in " + drift.target()
                    + ": duplicates are only reported; merge or remove the extra record in " + drift.target() + " itself");
        }
        if (drift.kind().equals(DriftKind.CANNOT_COMPARE.wire())) {
            throw ProblemException.conflict("drift " + driftId + " is a record the routes refuse (" + drift.actual()
                    + "): correct it in " + drift.systemOfRecord() + "; the next run compares it again");
        }
        refuseUnlessOpen(drift);
        ObjectReconciler reconciler = reconciler(drift.object());
        audit.record(actor, clientAddress, channel, "repair-drift", "drift " + driftId + " (" + drift.object() + " "
                + drift.businessKey() + ", " + drift.kind() + " in " + drift.target() + "): " + reason);
        Optional<String> repairId = store.claimRepair(driftId, actor, reason);
        if (repairId.isEmpty()) {
            refuseUnlessOpen(store.find(driftId).orElseThrow());
            throw ProblemException.conflict("drift " + driftId + " is being repaired by another request");
        }
        boolean published = false;
        try {
            reconciler.repair(drift.drift(), repairId.get());
            published = true;
        } catch (RepairRefusedException e) {
            throw ProblemException.conflict("drift " + driftId + " is not repaired by republishing: " + e.getMessage());
        } catch (Exception e) {
            LOG.warnf("Repair %s of drift %s failed: %s", repairId.get(), driftId, e.getMessage());
            throw new ProblemException(502, "repair-failed", "the repair of drift " + driftId + " could not be published: "
                    + e.getMessage() + "; the drift is open again, retry once " + drift.systemOfRecord() + " answers");
        } finally {
            store.repairEnded(driftId, published);
            metrics.refresh();
        }
        LOG.infof("Drift %s (%s %s, %s in %s) repaired by %s: repair %s", driftId, drift.object(), drift.businessKey(),
                drift.kind(), drift.target(), actor, repairId.get());
        return store.find(driftId).orElseThrow();
    }

    private static void refuseUnlessOpen(StoredDrift drift) {
        if (!"open".equals(drift.status())) {
            throw ProblemException.conflict("drift " + drift.id() + " is " + drift.status()
                    + (drift.repairId() == null ? "" : " (repair " + drift.repairId() + " by " + drift.repairedBy() + ")")
                    + ": a drift is repaired once; the next run closes it, or reopens it when the repair did not take");
        }
    }

    private ObjectReconciler reconciler(String object) {
        for (ObjectReconciler reconciler : reconcilers) {
            if (reconciler.object().equals(object)) {
                return reconciler;
            }
        }
        throw ProblemException.conflict("no reconciler for object " + object + " in this runtime");
    }
}
