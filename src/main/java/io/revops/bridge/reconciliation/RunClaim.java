package io.revops.bridge.reconciliation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Who carries a run out (this replica, {@code owner}) and for how long a claim holds without renewal ({@code ttl}):
 * the claim is renewed with every page recorded, so one that stopped being renewed belongs to a replica that died.
 * The clock is the tests' way to let a claim expire.
 */
record RunClaim(String owner, Duration ttl, Clock clock) {

    Instant now() {
        return clock.instant();
    }

    Instant expiresAt() {
        return now().plus(ttl);
    }
}
