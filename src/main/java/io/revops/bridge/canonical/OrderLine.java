package io.revops.bridge.canonical;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One order line. ONE_TIME lines are invoiced by the ERP; RECURRING lines become billing subscriptions with a
 * billing period (MONTHLY, QUARTERLY, ANNUAL) and a term in months.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderLine(
        String lineId,
        String productCode,
        String description,
        BigDecimal quantity,
        Money unitPrice,
        ChargeType chargeType,
        String billingPeriod,
        Integer termMonths) {

    public enum ChargeType { ONE_TIME, RECURRING }
}
