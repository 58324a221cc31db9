package io.revops.bridge.canonical;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Canonical payment, v1 (schema: canonical/payment.v1.json). paymentId is the business key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Payment(
        String paymentId,
        String accountId,
        String invoiceNumber,
        Money amount,
        Instant receivedAt,
        String method,
        Status status,
        SystemIds ids) {

    public enum Status { PENDING, SUCCEEDED, FAILED, REFUNDED }
}
