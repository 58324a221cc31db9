package io.revops.bridge.reconciliation;

import java.util.Arrays;
import java.util.Locale;

/** How a target system disagrees with the system of record for one business key. */
public enum DriftKind {
    /** The system of record holds the key, the target does not. */
    MISSING_IN_TARGET,
    /** The target holds a key the system of record does not (or no longer) hold. */
    ORPHAN_IN_TARGET,
    /** An owned attribute differs after the same mappings the routes apply. */
    FIELD_MISMATCH,
    /** A total, balance or payment amount differs. */
    AMOUNT_MISMATCH,
    /** The target holds the key more than once (reported, never deleted automatically). */
    DUPLICATE_IN_TARGET,
    /** A status (ERP sale state, invoice status) differs. */
    STATUS_MISMATCH,
    /**
     * The system of record's record could not be compared: the routes' mappings or business rules refuse it (e.g.
     * fractional seats). Fixed in the system of record, never repaired by republishing; the run goes on without it.
     */
    CANNOT_COMPARE;

    /** The name in the API and in metrics: missing-in-target, field-mismatch, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static DriftKind fromWire(String wire) {
        return Arrays.stream(values()).filter(kind -> kind.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown drift kind '" + wire + "', expected one of "
                        + Arrays.stream(values()).map(DriftKind::wire).toList()));
    }
}
