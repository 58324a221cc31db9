package io.revops.bridge.erp;

import java.util.function.Supplier;

/**
 * Serialises the writes of one business key (an order or invoice reference) in this instance, so a concurrent
 * retry cannot look the record up, find nothing and create it a second time. Striped: a fixed number of locks,
 * never a growing map of keys. Across instances the Kafka partition keeps one writer per key.
 */
final class KeyLocks {
    private static final int STRIPES = 64;

    private final Object[] locks = new Object[STRIPES];

    KeyLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    <T> T withLock(String key, Supplier<T> work) {
        synchronized (locks[Math.floorMod(key.hashCode(), STRIPES)]) {
            return work.get();
        }
    }
}
