package io.revops.bridge.billing;

import java.util.List;

/**
 * What billing did for a contract change: the subscriptions it added, the seats it cancelled, for a renewal the
 * subscriptions that run on (Kill Bill renews them each period by itself), and the seats whose plan it changed.
 */
public record AppliedChange(List<BillingSubscription> added, List<CancelledSeat> cancelled, List<BillingSubscription> continued,
        List<BillingSubscription> planChanged) {
    public AppliedChange(List<BillingSubscription> added, List<CancelledSeat> cancelled) {
        this(added, cancelled, List.of(), List.of());
    }

    public AppliedChange(List<BillingSubscription> added, List<CancelledSeat> cancelled, List<BillingSubscription> continued) {
        this(added, cancelled, continued, List.of());
    }
}
