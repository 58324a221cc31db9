package io.revops.bridge.erp;

/**
 * A contract change as the ERP booked it ({@link ErpContractChanges#book}): the sale of the change and the number of
 * the original order's sale it amends, so the change's status can name both.
 *
 * @param sale               the change's own sale (its reference is the change id); rejected when Tryton refused it
 * @param originalSaleNumber the sale number of the order the change amends
 */
public record ErpContractChange(ErpSale sale, String originalSaleNumber) {
}
