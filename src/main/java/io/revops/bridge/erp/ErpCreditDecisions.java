package io.revops.bridge.erp;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.revops.bridge.policy.BusinessException;

/**
 * The ERP's answer to a credit or refund: the acceptance of {@link ErpCredits}, or its refusal as an
 * {@link ErpCreditRejection}, so erp-credit-acceptance publishes a refusal (Salesforce shows it on the Credit__c, as a
 * rejected order on its Order) before {@link #requireAccepted} dead-letters the change. Only refusals of the credit
 * itself become a rejection: a wait (invoice or payment not in the ERP yet) stays a wait, and a setup fault of our
 * own (erp-setup-missing) is no answer about the credit, so it stays a dead letter only.
 */
@ApplicationScoped
@Named("erpCreditDecisions")
public class ErpCreditDecisions {
    private static final Set<String> REFUSALS = Set.of("invalid-change", "currency-mismatch", "erp-rejected");

    private final ErpCredits credits;

    @Inject
    public ErpCreditDecisions(ErpCredits credits) {
        this.credits = credits;
    }

    /** @return an {@link ErpCreditAcceptance} or an {@link ErpCreditRejection} */
    public Object credit(Map<String, Object> credit) {
        return decide(() -> credits.bookCredit(credit));
    }

    /** @return an {@link ErpCreditAcceptance} or an {@link ErpCreditRejection} */
    public Object refund(Map<String, Object> refund) {
        return decide(() -> credits.acceptRefund(refund));
    }

    /** @throws BusinessException the refusal, with its reason code, once it has been published */
    public void requireAccepted(Object decision) {
        if (decision instanceof ErpCreditRejection rejection) {
            throw new BusinessException(rejection.rejectionCategory(), rejection.rejectionReason());
        }
    }

    private static Object decide(Supplier<ErpCreditAcceptance> booking) {
        try {
            return booking.get();
        } catch (BusinessException e) {
            if (!REFUSALS.contains(e.reasonCode())) {
                throw e;
            }
            return new ErpCreditRejection(e.reasonCode(), e.getMessage());
        }
    }
}
