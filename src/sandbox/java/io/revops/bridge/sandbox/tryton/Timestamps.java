package io.revops.bridge.sandbox.tryton;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** create_date / write_date: naive UTC with microseconds like Tryton's, strictly increasing within the emulator. */
final class Timestamps {
    private LocalDateTime last = LocalDateTime.MIN;

    synchronized LocalDateTime next() {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        last = now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS);
        return last;
    }
}
