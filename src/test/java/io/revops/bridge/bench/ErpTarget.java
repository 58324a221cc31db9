package io.revops.bridge.bench;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The ERP an account sync measure writes to: the emulated Tryton or the real one. */
interface ErpTarget {
    /** The customer numbers (party codes) of the parties holding each of these keys, inactive ones too; absent: none. */
    Map<String, List<String>> customerNumbersByKey(Collection<String> keys);

    /** The CPU parts of the ERP's own processes added (the emulated ERP's CPU is in the emulators' part already). */
    MachineCpu withCpuParts(MachineCpu cpu);
}
