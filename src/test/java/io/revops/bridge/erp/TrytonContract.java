package io.revops.bridge.erp;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;

/**
 * Common ground of the ERP contracts: a client of the Tryton under test, the emulator's or the real one's
 * (-Derp.tryton.database, default tryton; -Derp.tryton.password, default admin).
 */
abstract class TrytonContract {
    /** Tryton's JSON-RPC base URL. */
    protected abstract String url();

    protected String database() {
        return System.getProperty("erp.tryton.database", "tryton");
    }

    protected String password() {
        return System.getProperty("erp.tryton.password", "admin");
    }

    protected TrytonClient tryton;

    @BeforeEach
    void connectToTryton() {
        tryton = new TrytonClient(url(), database(), "admin", password(), Duration.ofSeconds(30));
    }
}
