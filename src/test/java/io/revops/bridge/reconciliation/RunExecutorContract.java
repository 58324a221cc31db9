package io.revops.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner against the real schema (the Flyway migrations, in a fresh database or schema per test) with reconcilers
 * written here: checkpoints per page, a run that fails on page 2 continued by the next run from its saved cursor,
 * drifts kept as one row while they last and closed when not found again, reopened when found again after a repair;
 * one run at a time across replicas (stores of their own on the same database) and the claim of a dead replica
 * expiring. H2 in {@link RunExecutorTest}, PostgreSQL in {@link RunExecutorPostgresConformanceIT}.
 */
abstract class RunExecutorContract {
    private ReconciliationStore store;

    /** A database (or schema) no other test uses, for {@code name}. */
    protected abstract DataSource freshDatabase(String name);

    /** The schemas Flyway creates and migrates (none: the database's default one). */
    protected String[] schemas(String name) {
        return new String[0];
    }

    /** Removes what {@link #freshDatabase} made (an in-memory database goes by itself). */
    protected void dispose(DataSource dataSource, String name) throws Exception {
    }

    private DataSource dataSource;
    private String name;
    private static final Duration TTL = Duration.ofMinutes(2);
    /** The time every claim in a test sees; a test moves it on to let a claim expire. */
    private final MovableClock clock = new MovableClock();

    private static final class MovableClock extends Clock {
        Instant now = Instant.now();

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private RunClaim claim(String replica) {
        return new RunClaim(replica, TTL, clock);
    }

    private RunExecutor executor(ObjectReconciler reconciler, Consumer<StoredDrift> found) {
        return new RunExecutor(store, List.of(reconciler), found, claim("replica-a"));
    }

    @AfterEach
    void dropSchema() throws Exception {
        dispose(dataSource, name);
    }

    @BeforeEach
    void schema() {
        name = "recon_" + UUID.randomUUID().toString().replace("-", "");
        dataSource = freshDatabase(name);
        Flyway.configure().dataSource(dataSource).schemas(schemas(name)).locations("classpath:db/migration").load().migrate();
        store = new ReconciliationStore(dataSource);
    }

    /** Three pages of keys a1..a3, b1..b3, c1..c3; each key in {@code drifting} is missing in erp. */
    private static class Paged implements ObjectReconciler {
        final List<String> pagesAsked = new ArrayList<>();
        List<String> drifting = List.of("a2", "c1");
        boolean failOnPage2Once;

        @Override
        public String object() {
            return "account";
        }

        @Override
        public String reconcilePage(String cursor, Consumer<Drift> drifts) {
            String page = cursor == null ? "a" : cursor;
            pagesAsked.add(page);
            if (page.equals("b") && failOnPage2Once) {
                failOnPage2Once = false;
                throw new IllegalStateException("Tryton answered 503");
            }
            for (int i = 1; i <= 3; i++) {
                if (drifting.contains(page + i)) {
                    drifts.accept(new Drift("account", page + i, DriftKind.MISSING_IN_TARGET, "salesforce", "erp", null,
                            "Name " + page + i, null));
                }
            }
            return switch (page) {
                case "a" -> "b";
                case "b" -> "c";
                default -> null;
            };
        }

        @Override
        public void repair(Drift drift, String repairId) {
        }
    }

    @Test
    void aRunThatFailsOnPage2IsFailedWithItsCauseAndTheNextRunContinuesFromPage2() throws Exception {
        Paged reconciler = new Paged();
        reconciler.failOnPage2Once = true;
        List<StoredDrift> found = new ArrayList<>();

        String first = store.startRun("scheduled", null).orElseThrow();
        assertThat(executor(reconciler, found::add).execute(first)).isEqualTo(RunExecutor.Outcome.FAILED);

        RunSummary failed = store.runs(10).get(0);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).contains("IllegalStateException: Tryton answered 503");
        assertThat(failed.objects()).singleElement().satisfies(p -> {
            assertThat(p.cursor()).isEqualTo("b");
            assertThat(p.pages()).isEqualTo(1);
            assertThat(p.completed()).isNull();
        });

        String second = store.startRun("api", "operator").orElseThrow();
        assertThat(executor(reconciler, found::add).execute(second)).isEqualTo(RunExecutor.Outcome.COMPLETED);

        assertThat(reconciler.pagesAsked).containsExactly("a", "b", "b", "c"); // page a was not compared again
        RunSummary completed = store.runs(10).get(0);
        assertThat(completed.id()).isEqualTo(second);
        assertThat(completed.resumedFrom()).isEqualTo(first);
        assertThat(completed.status()).isEqualTo("completed");
        assertThat(completed.objects()).singleElement().satisfies(p -> {
            assertThat(p.pages()).isEqualTo(3);
            assertThat(p.cursor()).isNull();
            assertThat(p.completed()).isNotNull();
        });
        // a2 was found by the failed run, c1 by the one that continued it: both still open, neither closed
        assertThat(store.drifts(new ReconciliationStore.DriftFilter("account", null, "open"), 10))
                .extracting(StoredDrift::businessKey).containsExactlyInAnyOrder("a2", "c1");
        assertThat(found).extracting(StoredDrift::businessKey).containsExactly("a2", "c1");
    }

    @Test
    void aRunInterruptedByACrashIsContinuedFromItsLastSavedCursor() throws Exception {
        Paged reconciler = new Paged();
        String run = store.startRun("scheduled", null).orElseThrow();
        RunClaim crashed = claim("crashed");
        assertThat(store.claim(run, crashed)).isTrue();
        store.recordPage(run, "account", List.of(), "b", crashed); // the crashed runtime had saved page a
        store.release(crashed); // as a stop does; a crash leaves the claim to expire (below)

        assertThat(store.runningRun()).contains(run);
        assertThat(store.startRun("api", "operator")).isEmpty(); // one run at a time
        assertThat(executor(reconciler, d -> { }).execute(run)).isEqualTo(RunExecutor.Outcome.COMPLETED);

        assertThat(reconciler.pagesAsked).containsExactly("b", "c");
        assertThat(store.runs(10)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("completed"));
    }

    @Test
    void aDriftFoundAgainIsTheSameRowAndOneNotFoundAgainIsClosed() throws Exception {
        Paged reconciler = new Paged();
        String first = store.startRun("scheduled", null).orElseThrow();
        executor(reconciler, d -> { }).execute(first);
        StoredDrift a2 = store.drifts(new ReconciliationStore.DriftFilter(null, "missing-in-target", null), 10).stream()
                .filter(d -> d.businessKey().equals("a2")).findFirst().orElseThrow();

        reconciler.drifting = List.of("a2"); // c1 was fixed behind our back
        String second = store.startRun("scheduled", null).orElseThrow();
        executor(reconciler, d -> { }).execute(second);

        List<StoredDrift> all = store.drifts(new ReconciliationStore.DriftFilter("account", null, null), 10);
        assertThat(all).hasSize(2);
        assertThat(all).filteredOn(d -> d.businessKey().equals("a2")).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(a2.id());
            assertThat(d.firstRunId()).isEqualTo(first);
            assertThat(d.lastRunId()).isEqualTo(second);
            assertThat(d.status()).isEqualTo("open");
        });
        assertThat(all).filteredOn(d -> d.businessKey().equals("c1")).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo("closed"));
    }

    @Test
    void aDriftIsClaimedForRepairOnce() throws Exception {
        Paged reconciler = new Paged();
        String run = store.startRun("scheduled", null).orElseThrow();
        executor(reconciler, d -> { }).execute(run);
        String id = store.drifts(new ReconciliationStore.DriftFilter(null, null, "open"), 1).get(0).id();

        assertThat(store.claimRepair(id, "operator", "first")).isPresent();
        assertThat(store.claimRepair(id, "operator", "second")).isEmpty();
        store.repairEnded(id, true);
        assertThat(store.find(id).orElseThrow()).satisfies(d -> {
            assertThat(d.status()).isEqualTo("repaired");
            assertThat(d.repairReason()).isEqualTo("first");
        });
        assertThat(store.claimRepair(id, "operator", "third")).isEmpty();
    }

    @Test
    void autoRepairRefusesDuplicatesRecordsTheRoutesRefuseAndMisspeltKinds() {
        assertThat(ReconciliationRunner.autoRepairKinds(List.of("missing-in-target", " field-mismatch")))
                .containsExactlyInAnyOrder(DriftKind.MISSING_IN_TARGET, DriftKind.FIELD_MISMATCH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconciliationRunner.autoRepairKinds(
                List.of("duplicate-in-target"))).hasMessageContaining("duplicates are only reported");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconciliationRunner.autoRepairKinds(
                List.of("cannot-compare"))).hasMessageContaining("corrected in its system of record");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconciliationRunner.autoRepairKinds(
                List.of("missing"))).hasMessageContaining("expected one of");
    }

    @Test
    void twoReplicasStartingARunAtOnceStartOne() throws Exception {
        ReconciliationStore other = new ReconciliationStore(dataSource); // a second replica on the same database
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            Callable<Optional<String>> a = () -> {
                together.await();
                return store.startRun("api", "operator-a");
            };
            Callable<Optional<String>> b = () -> {
                together.await();
                return other.startRun("scheduled", null);
            };
            Future<Optional<String>> first = replicas.submit(a);
            Future<Optional<String>> second = replicas.submit(b);
            List<Optional<String>> started = List.of(first.get(), second.get());
            assertThat(started).filteredOn(Optional::isPresent).hasSize(1);
            assertThat(store.runs(10)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("running"));
        } finally {
            replicas.shutdownNow();
        }
        assertThat(store.startRun("api", "operator-c")).isEmpty(); // and nobody else while it is in progress
    }

    @Test
    void aRunCarriedOutByOneReplicaIsSkippedByTheOtherAndTheNextStartsWhenItIsDone() throws Exception {
        String run = store.startRun("api", "operator").orElseThrow();
        ReconciliationStore other = new ReconciliationStore(dataSource);
        List<RunExecutor.Outcome> otherTried = new ArrayList<>();
        Paged reconciler = new Paged() {
            @Override
            public String reconcilePage(String cursor, Consumer<Drift> drifts) {
                if (cursor != null && cursor.equals("b")) { // replica b's tick in the middle of replica a's run
                    otherTried.add(new RunExecutor(other, List.of(new Paged()), d -> { }, claim("replica-b")).execute(run));
                }
                return super.reconcilePage(cursor, drifts);
            }
        };

        assertThat(executor(reconciler, d -> { }).execute(run)).isEqualTo(RunExecutor.Outcome.COMPLETED);

        assertThat(otherTried).containsExactly(RunExecutor.Outcome.CLAIMED_ELSEWHERE);
        assertThat(reconciler.pagesAsked).containsExactly("a", "b", "c");
        assertThat(store.runs(10)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("completed");
            assertThat(r.objects()).singleElement().satisfies(p -> assertThat(p.pages()).isEqualTo(3));
        });
        assertThat(other.startRun("scheduled", null)).isPresent();
    }

    @Test
    void theClaimOfAReplicaThatDiedMidRunExpiresAndAnotherContinuesItsRun() throws Exception {
        String run = store.startRun("scheduled", null).orElseThrow();
        RunClaim dead = claim("replica-dead");
        assertThat(store.claim(run, dead)).isTrue();
        store.recordPage(run, "account", List.of(), "b", dead); // then it died: its claim is not renewed any more
        ReconciliationStore other = new ReconciliationStore(dataSource);
        Paged reconciler = new Paged();

        clock.now = clock.now.plus(TTL).minusSeconds(1);
        assertThat(new RunExecutor(other, List.of(reconciler), d -> { }, claim("replica-b")).execute(run))
                .isEqualTo(RunExecutor.Outcome.CLAIMED_ELSEWHERE);
        assertThat(reconciler.pagesAsked).isEmpty();

        clock.now = clock.now.plusSeconds(2);
        assertThat(new RunExecutor(other, List.of(reconciler), d -> { }, claim("replica-b")).execute(run))
                .isEqualTo(RunExecutor.Outcome.COMPLETED);
        assertThat(reconciler.pagesAsked).containsExactly("b", "c");

        // the replica that only stalled comes back: it writes nothing more
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.recordPage(run, "account", List.of(
                new Drift("account", "z9", DriftKind.MISSING_IN_TARGET, "salesforce", "erp", null, "late", null)), null, dead))
                .isInstanceOf(ClaimLostException.class);
        assertThat(store.drifts(new ReconciliationStore.DriftFilter(null, null, null), 10))
                .extracting(StoredDrift::businessKey).doesNotContain("z9");
        assertThat(store.runs(10)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("completed"));
    }

    @Test
    void aRepairedDriftFoundAgainIsReopenedKeepsItsLastRepairAndTheNextRepairIsANewEvent() throws Exception {
        Paged reconciler = new Paged();
        reconciler.drifting = List.of("a2");
        String first = store.startRun("scheduled", null).orElseThrow();
        executor(reconciler, d -> { }).execute(first);
        String id = store.drifts(new ReconciliationStore.DriftFilter(null, null, "open"), 1).get(0).id();
        String repairId = store.claimRepair(id, "reconciliation", "auto").orElseThrow();
        store.repairEnded(id, true);

        List<StoredDrift> found = new ArrayList<>();
        String second = store.startRun("scheduled", null).orElseThrow(); // the repair did not take: a2 still drifts
        executor(reconciler, found::add).execute(second);

        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(id);
            assertThat(d.status()).isEqualTo("open");
            assertThat(d.reopened()).isEqualTo(1);
            assertThat(d.reopenedAt()).isNotNull();
            assertThat(d.repairId()).isEqualTo(repairId);
        });
        String again = store.claimRepair(id, "operator", "party fixed by hand, republishing").orElseThrow();
        assertThat(again).isNotEqualTo(repairId);
        store.repairEnded(id, false); // that one could not be published: its retry is the same event
        assertThat(store.claimRepair(id, "operator", "retry")).contains(again);
        store.repairEnded(id, true);

        reconciler.drifting = List.of(); // this time it took
        String third = store.startRun("scheduled", null).orElseThrow();
        executor(reconciler, d -> { }).execute(third);
        assertThat(store.find(id).orElseThrow()).satisfies(d -> {
            assertThat(d.status()).isEqualTo("closed");
            assertThat(d.reopened()).isEqualTo(1);
        });
        assertThat(store.reopenedCounts()).isEmpty();
    }
}
