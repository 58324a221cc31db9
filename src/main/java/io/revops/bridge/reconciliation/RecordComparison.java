package io.revops.bridge.reconciliation;

import java.util.function.Consumer;

import io.revops.bridge.policy.DeadLetterStore;
import io.revops.bridge.policy.Failures;

/**
 * Compares one record so that a record the routes' mappings or rules refuse (a business failure: bad data in the system
 * of record) becomes a cannot-compare drift of its own and the run goes on with the next record. Before, one such record
 * failed the run, and every run after it at the same page. A technical failure (a system down) still ends the run: the
 * next run continues from the saved cursor.
 */
final class RecordComparison {
    private RecordComparison() {
    }

    static void compare(String object, String businessKey, String systemOfRecord, Consumer<Drift> drifts, Runnable comparison) {
        try {
            comparison.run();
        } catch (RuntimeException failure) {
            if (!DeadLetterStore.CATEGORY_BUSINESS.equals(Failures.category(failure))) {
                throw failure;
            }
            drifts.accept(new Drift(object, businessKey, DriftKind.CANNOT_COMPARE, systemOfRecord, systemOfRecord, null,
                    null, Failures.reasonCode(failure) + ": " + Failures.message(failure)));
        }
    }
}
