package io.revops.bridge.canonical;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Canonical order, v1 (schema: canonical/order.v1.json). orderNumber is the business key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Order(
        String orderNumber,
        String accountId,
        Status status,
        LocalDate effectiveDate,
        Instant activatedAt,
        String currency,
        Money totalAmount,
        List<OrderLine> lines,
        String statusReason,
        SystemIds ids) {

    public enum Status { DRAFT, ACTIVATED, ACCEPTED, REJECTED, FULFILLED, CANCELLED }
}
