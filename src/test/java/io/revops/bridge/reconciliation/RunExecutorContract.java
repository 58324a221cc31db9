package io.revops.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner against the real schema (the Flyway migrations, in a fresh database or schema per test) with reconcilers
 * written here: checkpoints per page, a run that fails on page 2 continued by the next run from its saved cursor,
 * drifts kept as one row while they last and closed when not found again. H2 in {@link RunExecutorTest}, PostgreSQL
 * in {@link RunExecutorPostgresConformanceIT}.
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
    private static final class Paged implements ObjectReconciler {
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
        assertThat(new RunExecutor(store, List.of(reconciler), found::add).execute(first)).isFalse();

        RunSummary failed = store.runs(10).get(0);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).contains("IllegalStateException: Tryton answered 503");
        assertThat(failed.objects()).singleElement().satisfies(p -> {
            assertThat(p.cursor()).isEqualTo("b");
            assertThat(p.pages()).isEqualTo(1);
            assertThat(p.completed()).isNull();
        });

        String second = store.startRun("api", "operator").orElseThrow();
        assertThat(new RunExecutor(store, List.of(reconciler), found::add).execute(second)).isTrue();

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
        store.recordPage(run, "account", List.of(), "b"); // the crashed runtime had saved page a

        assertThat(store.runningRun()).contains(run);
        assertThat(store.startRun("api", "operator")).isEmpty(); // one run at a time
        assertThat(new RunExecutor(store, List.of(reconciler), d -> { }).execute(run)).isTrue();

        assertThat(reconciler.pagesAsked).containsExactly("b", "c");
        assertThat(store.runs(10)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("completed"));
    }

    @Test
    void aDriftFoundAgainIsTheSameRowAndOneNotFoundAgainIsClosed() throws Exception {
        Paged reconciler = new Paged();
        String first = store.startRun("scheduled", null).orElseThrow();
        new RunExecutor(store, List.of(reconciler), d -> { }).execute(first);
        StoredDrift a2 = store.drifts(new ReconciliationStore.DriftFilter(null, "missing-in-target", null), 10).stream()
                .filter(d -> d.businessKey().equals("a2")).findFirst().orElseThrow();

        reconciler.drifting = List.of("a2"); // c1 was fixed behind our back
        String second = store.startRun("scheduled", null).orElseThrow();
        new RunExecutor(store, List.of(reconciler), d -> { }).execute(second);

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
        new RunExecutor(store, List.of(reconciler), d -> { }).execute(run);
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
    void autoRepairRefusesDuplicatesAndMisspeltKinds() {
        assertThat(ReconciliationRunner.autoRepairKinds(List.of("missing-in-target", " field-mismatch")))
                .containsExactlyInAnyOrder(DriftKind.MISSING_IN_TARGET, DriftKind.FIELD_MISMATCH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconciliationRunner.autoRepairKinds(
                List.of("duplicate-in-target"))).hasMessageContaining("duplicates are only reported");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconciliationRunner.autoRepairKinds(
                List.of("missing"))).hasMessageContaining("expected one of");
    }
}
