package io.revops.bridge.reconciliation;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * revops_reconciliation_drifts{object,kind} (drifts not closed), revops_reconciliation_reopened_drifts{object} (of
 * those, the ones found again after a repair), revops_reconciliation_last_success_timestamp{object}
 * (epoch seconds when the object last completed a pass) and revops_reconciliation_failed_runs_total. The gauges show
 * what the store held at the last refresh (after every page, repair and run), so a scrape never queries the database.
 */
@ApplicationScoped
public class ReconciliationMetrics {
    private static final Logger LOG = Logger.getLogger(ReconciliationMetrics.class);

    private final MeterRegistry meters;
    private final ReconciliationStore store;
    private final Map<String, AtomicLong> drifts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> reopened = new ConcurrentHashMap<>();
    private final Counter failedRuns;

    @Inject
    public ReconciliationMetrics(MeterRegistry meters, ReconciliationStore store) {
        this.meters = meters;
        this.store = store;
        this.failedRuns = Counter.builder("revops.reconciliation.failed.runs")
                .description("Reconciliation runs that could not complete (GET /api/v1/reconciliation/runs says why)")
                .register(meters);
    }

    /** Every kind of every object shows, zero included, so an alert can tell "no drift" from "no data". */
    void declare(Iterable<String> objects) {
        for (String object : objects) {
            for (DriftKind kind : DriftKind.values()) {
                driftGauge(object, kind.wire());
            }
            reopenedGauge(object);
        }
    }

    void runFailed() {
        failedRuns.increment();
    }

    void refresh() {
        try {
            Map<String, Map<String, Long>> open = store.openCounts();
            drifts.forEach((key, value) -> value.set(0));
            open.forEach((object, kinds) -> kinds.forEach((kind, count) -> driftGauge(object, kind).set(count)));
            Map<String, Long> reopenedNow = store.reopenedCounts();
            reopened.forEach((object, value) -> value.set(0));
            reopenedNow.forEach((object, count) -> reopenedGauge(object).set(count));
            for (Map.Entry<String, Instant> completed : store.lastCompleted().entrySet()) {
                lastSuccess.computeIfAbsent(completed.getKey(), object -> {
                    AtomicLong seconds = new AtomicLong();
                    Gauge.builder("revops.reconciliation.last.success.timestamp", seconds, AtomicLong::get).tag("object", object)
                            .description("When the object last completed a reconciliation pass (epoch seconds)")
                            .register(meters);
                    return seconds;
                }).set(completed.getValue().getEpochSecond());
            }
        } catch (Exception e) {
            LOG.warnf("Reconciliation metrics not refreshed: %s", e.getMessage());
        }
    }

    private AtomicLong reopenedGauge(String object) {
        return reopened.computeIfAbsent(object, key -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("revops.reconciliation.reopened.drifts", count, AtomicLong::get).tag("object", object)
                    .description("Drifts found again after their repair: the repair did not take; an operator decides")
                    .register(meters);
            return count;
        });
    }

    private AtomicLong driftGauge(String object, String kind) {
        return drifts.computeIfAbsent(object + "\u0000" + kind, key -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("revops.reconciliation.drifts", count, AtomicLong::get).tag("object", object).tag("kind", kind)
                    .description("Reconciliation drifts not closed yet (open or under repair)").register(meters);
            return count;
        });
    }
}
