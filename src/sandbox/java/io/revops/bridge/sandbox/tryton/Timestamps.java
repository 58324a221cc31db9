package io.revops.bridge.sandbox.tryton;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * create_date / write_date: naive UTC with microseconds like Tryton's, strictly increasing within the emulator,
 * except while a late transaction commits: then every write gets the time that transaction started, as
 * PostgreSQL's CURRENT_TIMESTAMP gives every statement of one transaction its start time.
 */
final class Timestamps {
    private LocalDateTime last = LocalDateTime.MIN;
    private LocalDateTime transactionStart;

    synchronized LocalDateTime next() {
        if (transactionStart != null) {
            return transactionStart;
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        last = now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS);
        return last;
    }

    /** Writes from now on are stamped {@code start} until {@link #endTransaction()}. */
    synchronized void stampAsOf(LocalDateTime start) {
        transactionStart = start;
    }

    synchronized void endTransaction() {
        transactionStart = null;
    }
}
