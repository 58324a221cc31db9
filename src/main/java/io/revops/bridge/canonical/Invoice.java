package io.revops.bridge.canonical;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Canonical invoice, v1 (schema: canonical/invoice.v1.json). invoiceNumber is the business key; sourceSystem
 * says who issued it (billing for recurring charges, erp for one-time lines).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Invoice(
        String invoiceNumber,
        String sourceSystem,
        String accountId,
        String orderNumber,
        LocalDate invoiceDate,
        LocalDate dueDate,
        Status status,
        List<InvoiceLine> lines,
        Money totalAmount,
        Money balance,
        SystemIds ids) {

    public enum Status { DRAFT, POSTED, PARTIALLY_PAID, PAID, VOID }
}
