package io.revops.bridge.canonical;

import java.time.LocalDate;

/** The period a recurring charge pays for: start is its first day, end the first day after it (exclusive). */
public record ServicePeriod(LocalDate start, LocalDate end) {
}
