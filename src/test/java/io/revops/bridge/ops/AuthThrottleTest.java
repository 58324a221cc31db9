package io.revops.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final AuthThrottle throttle = new AuthThrottle(5, Duration.ofMinutes(15), new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void fiveFailuresAreFreeThenTheWaitDoublesUpToTheMaximum() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("mallory", "10.0.0.1");
        }
        assertThat(throttle.lockout("mallory", "10.0.0.1")).isEmpty();
        throttle.failed("mallory", "10.0.0.1");
        assertThat(throttle.lockout("mallory", "10.0.0.1")).contains(Duration.ofSeconds(1));
        throttle.failed("mallory", "10.0.0.1");
        assertThat(throttle.lockout("mallory", "10.0.0.1")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            throttle.failed("mallory", "10.0.0.1");
        }
        assertThat(throttle.lockout("mallory", "10.0.0.1")).contains(Duration.ofMinutes(15));
        now = now.plus(Duration.ofMinutes(15));
        assertThat(throttle.lockout("mallory", "10.0.0.1")).isEmpty();
    }

    @Test
    void theUserIsLockedFromEveryAddressAndTheAddressForEveryUser() {
        for (int i = 0; i < 6; i++) {
            throttle.failed("operator", "10.0.0." + i); // a distributed guess at one user
            throttle.failed("user-" + i, "10.9.9.9"); // one address guessing many users
        }
        assertThat(throttle.lockout("operator", "192.168.1.1")).isPresent();
        assertThat(throttle.lockout("viewer", "10.9.9.9")).isPresent();
        assertThat(throttle.lockout("viewer", "192.168.1.1")).isEmpty();
    }

    @Test
    void aSuccessResetsUserAndAddress() {
        for (int i = 0; i < 6; i++) {
            throttle.failed("viewer", "10.0.0.1");
        }
        now = now.plusSeconds(2);
        throttle.succeeded("viewer", "10.0.0.1");
        throttle.failed("viewer", "10.0.0.1");
        assertThat(throttle.lockout("viewer", "10.0.0.1")).isEmpty();
    }

    @Test
    void memoryStaysBoundedWhateverUserNamesAnAttackerTries() throws Exception {
        for (int i = 0; i < 100_000; i++) {
            throttle.failed("guess-" + i, "10.0.0.1");
        }
        java.lang.reflect.Field byUser = AuthThrottle.class.getDeclaredField("byUser");
        byUser.setAccessible(true);
        assertThat(((java.util.Map<?, ?>) byUser.get(throttle))).hasSizeLessThanOrEqualTo(10_000);
        assertThat(throttle.lockout("anyone", "10.0.0.1")).as("the address still counts").isPresent();
    }
}
