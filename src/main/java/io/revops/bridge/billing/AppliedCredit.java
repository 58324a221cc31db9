package io.revops.bridge.billing;

import java.math.BigDecimal;

/**
 * What billing did for a credit or a refund.
 *
 * @param changeId   our key of the credit or refund
 * @param invoiceId  Kill Bill's invoice (credit) or payment (refund) it was applied to
 * @param appliedNow whether this call applied it (false: an earlier call had, found again by our key)
 * @param after      the invoice's balance after a credit, the payment's refunded amount after a refund
 */
public record AppliedCredit(String changeId, String invoiceId, boolean appliedNow, BigDecimal after) {
}
