package io.revops.bridge.billing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which contract change took which seat off: Kill Bill cancels a subscription but does not say for which change, and
 * after a crash between choosing seats and cancelling them a retry must pick the same seats (the same change twice
 * cancels once; two changes never cancel the same seat).
 */
public interface SeatClaims {
    enum Holder { NONE, THIS_CHANGE, ANOTHER_CHANGE }

    /** Who holds the seat (its subscription's externalKey), seen from the change. */
    Holder holder(String seatKey, String changeId);

    /** Claims the seat for the change; false when another change holds it already. */
    boolean claim(String seatKey, String changeId);

    /** For adapter tests without a database. */
    static SeatClaims inMemory() {
        Map<String, String> owners = new ConcurrentHashMap<>();
        return new SeatClaims() {
            @Override
            public Holder holder(String seatKey, String changeId) {
                String owner = owners.get(seatKey);
                return owner == null ? Holder.NONE : owner.equals(changeId) ? Holder.THIS_CHANGE : Holder.ANOTHER_CHANGE;
            }

            @Override
            public boolean claim(String seatKey, String changeId) {
                return owners.putIfAbsent(seatKey, changeId) == null || changeId.equals(owners.get(seatKey));
            }
        };
    }
}
