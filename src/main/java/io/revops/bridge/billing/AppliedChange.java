package io.revops.bridge.billing;

import java.util.List;

/**
 * What billing did for a contract change: the subscriptions it added, the seats it cancelled, and for a renewal the
 * subscriptions that run on (Kill Bill renews them each period by itself).
 */
public record AppliedChange(List<BillingSubscription> added, List<CancelledSeat> cancelled, List<BillingSubscription> continued) {
    public AppliedChange(List<BillingSubscription> added, List<CancelledSeat> cancelled) {
        this(added, cancelled, List.of());
    }
}
