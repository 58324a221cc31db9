package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.TransientFailureException;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;

class KillBillEmulatorContractTest extends BillingAccountsContract {
    private static final KillBillEmulator EMULATOR = new KillBillEmulator(28180);

    @BeforeAll
    static void start() {
        EMULATOR.start();
    }

    @AfterAll
    static void stop() {
        EMULATOR.close();
    }

    @Override
    protected String baseUrl() {
        return EMULATOR.baseUrl();
    }

    @Test
    void anOverloadedBillingSystemIsATransientFailure() {
        EMULATOR.failNextCalls(1, 503);
        assertThatThrownBy(() -> accounts.upsert(Map.of("externalKey", "001X", "name", "Acme")))
                .isInstanceOf(TransientFailureException.class).hasMessageContaining("503");
        assertThat(accounts.upsert(Map.of("externalKey", "001X", "name", "Acme")).created()).isTrue();
    }
}
