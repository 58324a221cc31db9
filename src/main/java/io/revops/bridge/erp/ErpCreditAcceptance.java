package io.revops.bridge.erp;

import java.math.BigDecimal;

/**
 * A credit the ERP accepted: its credit note and what the credited invoice still owes.
 *
 * @param creditNoteNumber  the ERP's number of the credit note (posted), null for a refund (a cash move, named in reason)
 * @param total             the credit note's total (negative), at the currency's digits; a refund's amount
 * @param invoiceNumber     the credited invoice as we name it (KB-<n> or the ERP number)
 * @param invoiceAmountToPay what is left to pay on the credited invoice afterwards
 * @param reason            what the ERP did, for the change's status
 */
public record ErpCreditAcceptance(String creditNoteNumber, BigDecimal total, String invoiceNumber,
        BigDecimal invoiceAmountToPay, String reason) {
}
