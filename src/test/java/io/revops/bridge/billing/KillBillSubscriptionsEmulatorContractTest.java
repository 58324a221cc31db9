package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.TransientFailureException;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;

/** Subscription activation against the emulator, which is held to the same contract as the real Kill Bill. */
class KillBillSubscriptionsEmulatorContractTest extends BillingSubscriptionsContract {
    private static final KillBillEmulator EMULATOR = new KillBillEmulator(28181);

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
    void anOutageAfterPartOfTheOrderIsActivePropagatesAsTransientAndARetryFinishesIt() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly")));
        var request = request(account, order, line(order + "-1-1", "standard-monthly"), line(order + "-2-1", "premium-monthly"));
        EMULATOR.failNextCalls("POST /1.0/kb/subscriptions", 1, 503);

        assertThatThrownBy(() -> subscriptions.activate(request)).isInstanceOf(TransientFailureException.class)
                .hasMessageContaining("503");

        assertThat(subscriptions.activate(request)).extracting(BillingSubscription::created).containsExactly(false, true);
        assertThat(EMULATOR.subscriptions()).filteredOn(s -> s.get("externalKey").toString().startsWith(order))
                .extracting(s -> s.get("planName")).containsExactlyInAnyOrder("standard-monthly", "premium-monthly");
    }
}
