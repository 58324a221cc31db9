package io.revops.bridge.billing;

/**
 * A seat a contract change took off, as Kill Bill holds it after the cancellation: the day service ends
 * (cancelledDate, Kill Bill's entitlement end) and the day billing ends (billingEndDate).
 */
public record CancelledSeat(String subscriptionId, String externalKey, String planName, String state,
        String cancelledDate, String billingEndDate) {
}
