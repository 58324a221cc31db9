package io.revops.bridge.erp;

import java.math.BigDecimal;

/**
 * A customer invoice in the ERP, which owns receivables.
 *
 * @param invoiceId   Tryton's invoice id
 * @param number      the ERP's invoice number, assigned when posted
 * @param reference   our invoice key (the billing invoice), null on invoices Tryton made from a sale
 * @param state       draft, validated, posted, paid or cancelled
 * @param totalAmount total with taxes, at the currency's digits
 * @param amountToPay what is left to pay, at the currency's digits (0 unless posted)
 * @param created     whether this call created the invoice
 */
public record ErpInvoice(int invoiceId, String number, String reference, String state, BigDecimal totalAmount,
        BigDecimal amountToPay, boolean created) {
}
