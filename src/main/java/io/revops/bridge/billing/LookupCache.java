package io.revops.bridge.billing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Remembers a bounded number of lookups of things Kill Bill never changes (an account's or subscription's key, an
 * invoice's number), so a feed page costs one call per new account, subscription or invoice rather than per item.
 * The lookup runs outside the lock: two readers may both look the same key up, which is harmless.
 */
final class LookupCache<K, V> {
    private final Map<K, V> entries;
    private final Function<K, V> lookup;

    LookupCache(int capacity, Function<K, V> lookup) {
        this.lookup = lookup;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    V get(K key) {
        synchronized (entries) {
            V known = entries.get(key);
            if (known != null) {
                return known;
            }
        }
        V found = lookup.apply(key);
        synchronized (entries) {
            entries.put(key, found);
        }
        return found;
    }
}
