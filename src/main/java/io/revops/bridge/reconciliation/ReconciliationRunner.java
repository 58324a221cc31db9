package io.revops.bridge.reconciliation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.revops.bridge.ops.DatabaseSchema;
import io.revops.bridge.ops.ProblemException;
import io.revops.bridge.policy.LeaderOnly;

/**
 * Runs reconciliations on the leader only (policy.LeaderOnly), one at a time: every revops.reconciliation.every since
 * the last run started (kept in the database, so it holds across restarts and replicas; the first one that long after
 * the runtime started) and on request. One run at a time across replicas: a request to any replica starts it in the
 * database (a 409 while one is in progress) and the leader carries it out under a claim renewed with every page; a run
 * left by a runtime that stopped is continued from its last saved cursor at once (a stop lets go of its claim), one
 * left by a runtime that died once its claim expired (revops.reconciliation.claim-ttl). Drifts of the kinds in
 * revops.reconciliation.auto-repair are repaired as they are found, each at most once by itself: a drift reopened
 * after a repair that did not take waits for an operator. duplicate-in-target is never repaired.
 */
@ApplicationScoped
public class ReconciliationRunner {
    private static final Logger LOG = Logger.getLogger(ReconciliationRunner.class);
    /** The order objects are reconciled in: accounts first, what hangs off them after; others by name. */
    private static final List<String> ORDER = List.of("account", "order", "invoice", "payment");
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    static final String AUTO_REPAIR_ACTOR = "reconciliation";

    private final ReconciliationStore store;
    private final Instance<ObjectReconciler> reconcilers;
    private final DriftRepairs repairs;
    private final ReconciliationMetrics metrics;
    private final LeaderOnly leadership;
    private final DatabaseSchema schema;
    private final Duration every;
    private final Set<DriftKind> autoRepair;
    private final Instant started = Instant.now();
    private final RunClaim claim;
    private ScheduledExecutorService worker;

    @Inject
    public ReconciliationRunner(ReconciliationStore store, Instance<ObjectReconciler> reconcilers, DriftRepairs repairs,
            ReconciliationMetrics metrics, LeaderOnly leadership, DatabaseSchema schema,
            @ConfigProperty(name = "revops.reconciliation.every") Duration every,
            @ConfigProperty(name = "revops.reconciliation.auto-repair") Optional<List<String>> autoRepair,
            @ConfigProperty(name = "revops.reconciliation.claim-ttl") Duration claimTtl,
            @ConfigProperty(name = "revops.leader-election.member") Optional<String> member) {
        this.store = store;
        this.reconcilers = reconcilers;
        this.repairs = repairs;
        this.metrics = metrics;
        this.leadership = leadership;
        this.schema = schema;
        this.every = every;
        this.autoRepair = autoRepairKinds(autoRepair.orElse(List.of()));
        // unique per start: a restarted replica must not mistake the claim of its dead predecessor for its own
        this.claim = new RunClaim(member.filter(m -> !m.isBlank()).orElse("runtime") + "/" + UUID.randomUUID(), claimTtl,
                Clock.systemUTC());
    }

    /**
     * The kinds named in revops.reconciliation.auto-repair; a misspelt kind, duplicate-in-target or cannot-compare (both
     * never repaired by republishing) stops the start.
     */
    static Set<DriftKind> autoRepairKinds(List<String> names) {
        Set<DriftKind> kinds = EnumSet.noneOf(DriftKind.class);
        for (String name : names) {
            if (name.isBlank()) {
                continue;
            }
            DriftKind kind = DriftKind.fromWire(name.trim());
            if (kind == DriftKind.DUPLICATE_IN_TARGET) {
                throw new IllegalArgumentException("revops.reconciliation.auto-repair cannot include duplicate-in-target:"
                        + " duplicates are only reported, never changed automatically");
            }
            if (kind == DriftKind.CANNOT_COMPARE) {
                throw new IllegalArgumentException("revops.reconciliation.auto-repair cannot include cannot-compare:"
                        + " the record is corrected in its system of record, republishing it changes nothing");
            }
            kinds.add(kind);
        }
        return kinds;
    }

    void start(@Observes StartupEvent event) {
        metrics.declare(ordered().stream().map(ObjectReconciler::object).toList());
        worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "reconciliation");
            thread.setDaemon(true);
            return thread;
        });
        worker.scheduleWithFixedDelay(this::tick, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdownNow(); // a run cut short here is continued from its last saved cursor by the next leader
        }
        try {
            store.release(claim);
        } catch (Exception e) {
            LOG.warnf("Reconciliation claim not released, the run waits for it to expire: %s", e.getMessage());
        }
    }

    /**
     * Starts a run now (operator request). On a replica that does not lead, the leader picks it up.
     *
     * @return the run's id
     */
    public String requestRun(String actor) throws Exception {
        String id = store.startRun("api", actor).orElseThrow(() -> ProblemException.conflict(
                "a reconciliation run is in progress; GET /api/v1/reconciliation/runs shows how far it got"));
        LOG.infof("Reconciliation run %s requested by %s", id, actor);
        if (worker != null) {
            worker.execute(this::tick);
        }
        return id;
    }

    private void tick() {
        try {
            if (!leadership.isLeader() || !schema.ready()) {
                return;
            }
            Optional<String> run = store.runningRun();
            if (run.isEmpty() && due()) {
                run = store.startRun("scheduled", null);
            }
            if (run.isPresent()) {
                RunExecutor.Outcome outcome = new RunExecutor(store, ordered(), this::autoRepair, claim).execute(run.get());
                if (outcome == RunExecutor.Outcome.FAILED) {
                    metrics.runFailed();
                }
                metrics.refresh();
            }
        } catch (Exception e) {
            LOG.warnf("Reconciliation not started: %s", e.getMessage());
        }
    }

    /** Every `every` since the last run started; the very first one `every` after the start, not at every fresh start. */
    private boolean due() throws Exception {
        Instant from = store.lastStarted().orElse(started);
        return !from.plus(every).isAfter(Instant.now());
    }

    /** Repairs an open drift of an auto-repair kind, unless it was reopened: a repair that did not take is not repeated. */
    private void autoRepair(StoredDrift drift) {
        if (!"open".equals(drift.status()) || drift.reopened() > 0 || !autoRepair.contains(DriftKind.fromWire(drift.kind()))) {
            return;
        }
        try {
            repairs.repair(drift.id(), AUTO_REPAIR_ACTOR, null, "auto-repair",
                    "automatic repair of " + drift.kind() + " (revops.reconciliation.auto-repair)");
        } catch (Exception e) {
            LOG.warnf("Automatic repair of drift %s failed, it stays open: %s", drift.id(), e.getMessage());
        }
    }

    private List<ObjectReconciler> ordered() {
        List<ObjectReconciler> all = new ArrayList<>();
        reconcilers.forEach(all::add);
        all.sort(Comparator.comparing((ObjectReconciler r) -> ORDER.contains(r.object()) ? ORDER.indexOf(r.object()) : ORDER.size())
                .thenComparing(ObjectReconciler::object));
        return all;
    }
}
