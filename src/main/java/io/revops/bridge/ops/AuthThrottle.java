package io.revops.bridge.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Slows down password guessing, for the operations API and Jolokia alike: after {@code free} failed logins in a row,
 * a user name and a client address are each locked out for 1 s, then 2 s, 4 s, ... up to {@code max-lockout}; a
 * successful login resets both. Counters live in two bounded LRU maps, so an attacker who varies user names cannot
 * exhaust memory (and still trips the per-address counter).
 */
@ApplicationScoped
public class AuthThrottle {
    private static final Logger LOG = Logger.getLogger(AuthThrottle.class);
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final int free;
    private final Duration maxLockout;
    private final Clock clock;
    private final Map<String, Failures> byUser = lru();
    private final Map<String, Failures> byAddress = lru();

    @Inject
    public AuthThrottle(@ConfigProperty(name = "revops.auth.free-failures", defaultValue = "5") int free,
            @ConfigProperty(name = "revops.auth.max-lockout", defaultValue = "PT15M") Duration maxLockout) {
        this(free, maxLockout, Clock.systemUTC());
    }

    AuthThrottle(int free, Duration maxLockout, Clock clock) {
        this.free = free;
        this.maxLockout = maxLockout;
        this.clock = clock;
    }

    /** How long the caller must still wait before a login is even checked; empty when it may try now. */
    public synchronized Optional<Duration> lockout(String user, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(byUser, user), lockedUntil(byAddress, address));
        return until != null && until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    public synchronized void failed(String user, String address) {
        Failures forUser = fail(byUser, user);
        Failures forAddress = fail(byAddress, address);
        if (Math.max(forUser.count(), forAddress.count()) == free + 1) {
            LOG.warnf("Repeated failed logins (user %s, address %s): slowing down", user, address);
        }
    }

    public synchronized void succeeded(String user, String address) {
        byUser.remove(user);
        byAddress.remove(address);
    }

    private Failures fail(Map<String, Failures> counters, String key) {
        Failures before = counters.getOrDefault(key, new Failures(0, null));
        int count = before.count() + 1;
        Instant until = count <= free ? null : clock.instant().plus(lockout(count - free));
        Failures after = new Failures(count, until);
        counters.put(key, after);
        return after;
    }

    private Duration lockout(int excess) {
        Duration delay = Duration.ofSeconds(1L << Math.min(excess - 1, 20));
        return delay.compareTo(maxLockout) > 0 ? maxLockout : delay;
    }

    private static Instant lockedUntil(Map<String, Failures> counters, String key) {
        Failures failures = counters.get(key);
        return failures == null ? null : failures.lockedUntil();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static Map<String, Failures> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > MAX_TRACKED;
            }
        };
    }
}
