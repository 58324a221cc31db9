package io.revops.bridge.canonical;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvoiceLine(String description, String productCode, BigDecimal quantity, Money amount) {
}
