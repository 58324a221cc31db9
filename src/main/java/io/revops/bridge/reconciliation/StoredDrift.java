package io.revops.bridge.reconciliation;

import java.time.Instant;

/**
 * A drift as stored: what was found, since when, and what was done about it.
 *
 * @param status     open, repair-requested, repaired or closed
 * @param reopened   how often it was found again after a repair (open again each time; repairId is the last repair)
 * @param reopenedAt when it was last found again after a repair
 */
public record StoredDrift(String id, String object, String businessKey, String kind, String systemOfRecord,
        String target, String field, String expected, String actual, String status, String firstRunId,
        String lastRunId, Instant firstSeen, Instant lastSeen, String repairId, String repairedBy,
        String repairReason, Instant repairedAt, Instant closedAt, int reopened, Instant reopenedAt) {

    public Drift drift() {
        return new Drift(object, businessKey, DriftKind.fromWire(kind), systemOfRecord, target, field, expected, actual);
    }
}
