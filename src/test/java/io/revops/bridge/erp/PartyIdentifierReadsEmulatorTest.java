package io.revops.bridge.erp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.revops.bridge.sandbox.tryton.TrytonEmulator;
import io.revops.bridge.testing.FreePorts;

/** {@link PartyIdentifierReadsContract} against the Tryton emulator, on a free port. */
class PartyIdentifierReadsEmulatorTest extends PartyIdentifierReadsContract {
    private static final TrytonEmulator EMULATOR = new TrytonEmulator(FreePorts.any(), "tryton");

    @BeforeAll
    static void start() {
        EMULATOR.start();
    }

    @AfterAll
    static void stop() {
        EMULATOR.close();
    }

    @Override
    protected String url() {
        return EMULATOR.baseUrl();
    }
}
