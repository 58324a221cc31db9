package io.revops.bridge.erp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.revops.bridge.sandbox.tryton.TrytonEmulator;

/** The invoices contract against the emulator. */
class TrytonEmulatorInvoicesContractTest extends ErpInvoicesContract {
    private static final TrytonEmulator EMULATOR = new TrytonEmulator(28102, "tryton");

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

    @Override
    protected String database() {
        return "tryton";
    }
}
