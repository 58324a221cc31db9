package io.revops.bridge.reconciliation;

import java.time.Instant;
import java.util.List;

/**
 * A reconciliation run as the API shows it.
 *
 * @param trigger scheduled or api
 * @param status  running, completed or failed (error says why)
 */
public record RunSummary(String id, String trigger, String requestedBy, Instant started, Instant finished,
        String status, String error, String resumedFrom, List<ObjectProgress> objects) {

    /** How far a run got with one object: the cursor of the next page (null before the first), pages and drifts. */
    public record ObjectProgress(String object, String cursor, int pages, int drifts, Instant completed) {
    }
}
