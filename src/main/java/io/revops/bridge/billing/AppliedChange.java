package io.revops.bridge.billing;

import java.util.List;

/** What billing did for a contract change: the subscriptions it added and the seats it cancelled. */
public record AppliedChange(List<BillingSubscription> added, List<CancelledSeat> cancelled) {
}
