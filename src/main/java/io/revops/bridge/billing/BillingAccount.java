package io.revops.bridge.billing;

/** A Kill Bill account as the runtime knows it: Kill Bill's id, our key (externalKey), whether this call created it. */
public record BillingAccount(String accountId, String externalKey, boolean created) {
}
