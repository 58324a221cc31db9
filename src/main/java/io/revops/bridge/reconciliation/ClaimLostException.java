package io.revops.bridge.reconciliation;

/** The run's claim expired and another replica took it over: this one stops without touching the run. */
final class ClaimLostException extends Exception {
    ClaimLostException(String runId, String owner) {
        super("run " + runId + " is no longer claimed by " + owner + " (its claim expired and another replica took it over)");
    }
}
