package io.revops.bridge.erp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.revops.bridge.policy.BusinessException;

/**
 * Last step of the order's ERP orchestration: once the ERP's answer is published (Salesforce shows it), a rejection
 * is parked as a business exception with the ERP's reason, so an operator sees it next to every other one and can
 * replay it after the cause is fixed (the replay continues the same sale; the new answer is published again).
 */
@ApplicationScoped
@Named("orderAcceptance")
public class OrderAcceptance {

    public void require(ErpSale sale) {
        if (!sale.accepted()) {
            throw new BusinessException(sale.rejectionCategory(), "the ERP rejected order " + sale.reference()
                    + (sale.number() == null ? "" : " (sale " + sale.number() + ")") + ": " + sale.rejectionReason());
        }
    }
}
