package io.revops.bridge.erp;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * How the ERP recognises one deferred invoice line: the amount deferred over [start, end] (both days included, as
 * Tryton counts), the deferral's state (draft, running, closed) and the revenue recognised so far, by move date.
 */
public record ErpRevenueSchedule(String line, BigDecimal amount, LocalDate start, LocalDate end, String state,
        List<Recognition> recognised) {

    public record Recognition(LocalDate date, BigDecimal amount) {
    }
}
