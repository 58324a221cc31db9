package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.testing.FreePorts;

/** {@link AccountPagesContract} against the Kill Bill emulator, on a free port; and its drift hook. */
class AccountPagesEmulatorTest extends AccountPagesContract {
    private static final KillBillEmulator EMULATOR = new KillBillEmulator(FreePorts.any());

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
    void aRemovedAccountIsNoLongerListedOrFound() {
        String key = key();
        accounts.upsert(Map.of("externalKey", key, "name", "Restored from an old backup", "currency", "USD"));

        EMULATOR.removeAccount(key);

        assertThat(accounts.find(key)).isEmpty();
        assertThat(EMULATOR.accounts()).noneMatch(a -> key.equals(a.get("externalKey")));
        assertThat(client.find("/1.0/kb/accounts/pagination?offset=0&limit=1000").orElseThrow().findValuesAsText("externalKey"))
                .doesNotContain(key);
    }
}
