package io.revops.bridge.erp;

/**
 * A sale order in the ERP after {@link ErpSales#place}.
 *
 * @param saleId            Tryton's sale id; 0 when Tryton refused to create it
 * @param reference         our order key, kept as the sale's reference
 * @param number            the ERP's sale number, assigned when the sale is quoted (null before)
 * @param state             Tryton's state: draft, quotation, confirmed, processing, done, cancelled (null if none)
 * @param created           whether this call created the sale
 * @param rejectionCategory null when accepted; credit-hold or erp-rejected
 * @param rejectionReason   the ERP's reason, in its own words
 */
public record ErpSale(int saleId, String reference, String number, String state, boolean created,
        String rejectionCategory, String rejectionReason) {

    public boolean accepted() {
        return rejectionCategory == null;
    }
}
