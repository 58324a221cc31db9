package io.revops.bridge.sandbox.killbill;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kill Bill's test clock (GET/POST /1.0/kb/test/clock, test mode): one for the whole server, as the real server's
 * clock, set to a day (midnight UTC) or an instant and ticking on from there; a POST without requestedDate puts it
 * back on the real time. What the real 0.22.26 showed: both answer 200 with {currentUtcTime (whole seconds),
 * timeZone, localDate}.
 */
final class KillBillClock {
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private volatile Duration delta = Duration.ZERO;

    Instant now() {
        return Instant.now().plus(delta);
    }

    LocalDate today() {
        return LocalDate.ofInstant(now(), ZoneOffset.UTC);
    }

    /** @param requestedDate yyyy-MM-dd (midnight UTC) or an ISO instant; null: back to the real time */
    void set(String requestedDate) {
        if (requestedDate == null) {
            delta = Duration.ZERO;
            return;
        }
        Instant to;
        try {
            to = requestedDate.length() == 10 ? LocalDate.parse(requestedDate).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(requestedDate);
        } catch (DateTimeParseException e) {
            throw new KillBillError(400, "java.lang.IllegalArgumentException", null,
                    "Invalid format: \"" + requestedDate + "\"");
        }
        delta = Duration.between(Instant.now(), to);
    }

    Map<String, Object> json() {
        Instant now = now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> clock = new LinkedHashMap<>();
        clock.put("currentUtcTime", INSTANT.format(now));
        clock.put("timeZone", "UTC");
        clock.put("localDate", LocalDate.ofInstant(now, ZoneOffset.UTC).toString());
        return clock;
    }
}
