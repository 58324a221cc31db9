package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.TransientFailureException;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;

class TrytonEmulatorContractTest extends ErpCustomersContract {
    private static final TrytonEmulator EMULATOR = new TrytonEmulator(28100, "tryton");

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

    @Test
    void anUnavailableErpIsATransientFailure() {
        customers.find("001WARMUP"); // log in first: logins are spared by fault injection
        EMULATOR.failNextCalls(1, 503);
        assertThatThrownBy(() -> customers.upsert(Map.of("key", "001X", "name", "Acme")))
                .isInstanceOf(TransientFailureException.class).hasMessageContaining("503");
        assertThat(customers.upsert(Map.of("key", "001X", "name", "Acme")).created()).isTrue();
    }
}
