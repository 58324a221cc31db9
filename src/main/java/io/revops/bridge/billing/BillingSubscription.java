package io.revops.bridge.billing;

/**
 * A Kill Bill subscription as activation left it: Kill Bill's id, our key (externalKey), the plan and state Kill Bill
 * holds, and whether this call created it (false: it was there already, from an earlier attempt or a racing writer).
 */
public record BillingSubscription(String subscriptionId, String externalKey, String planName, String state, boolean created) {
}
