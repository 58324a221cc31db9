package io.revops.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Accounts changed within the settle time are left to the next run, whichever way Salesforce writes the time. */
class SettleTimeTest {
    private static final Instant SETTLED = Instant.parse("2026-12-01T16:00:00Z");

    @Test
    void salesforceTimesAreUnderstoodInEachForm() {
        assertThat(AccountReconciler.changedAfter(Map.of("LastModifiedDate", "2026-12-01T16:55:46.000+0000"), SETTLED)).isTrue();
        assertThat(AccountReconciler.changedAfter(Map.of("LastModifiedDate", "2026-12-01T15:55:46.000+0000"), SETTLED)).isFalse();
        assertThat(AccountReconciler.changedAfter(Map.of("LastModifiedDate", "2026-12-01T16:00:01Z"), SETTLED)).isTrue();
        assertThat(AccountReconciler.changedAfter(Map.of("LastModifiedDate", "2026-12-01T17:30:00+02:00"), SETTLED)).isFalse();
    }

    @Test
    void aTimeNotUnderstoodOrAbsentIsCompared() {
        assertThat(AccountReconciler.changedAfter(Map.of("LastModifiedDate", "yesterday"), SETTLED)).isFalse();
        assertThat(AccountReconciler.changedAfter(Map.of(), SETTLED)).isFalse();
    }
}
