package io.revops.bridge.canonical;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One charge of an invoice; servicePeriod only on recurring charges (what the charge pays for). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvoiceLine(String description, String productCode, BigDecimal quantity, Money amount,
        ServicePeriod servicePeriod) {
}
