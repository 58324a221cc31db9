package io.revops.bridge.policy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys a polled feed published lately (invoice ids, payment ids, ERP change positions), bounded: the oldest are
 * forgotten first. A feed that re-reads an overlap window behind its checkpoint skips what it remembers, so only a
 * record committed out of order behind the checkpoint is published again. Held in memory on purpose: after a restart
 * or a leader change the window is published once more, and the consumers' idempotency drops the repeats.
 */
public final class RecentlyPublished {
    private final Map<String, Boolean> keys;

    public RecentlyPublished(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, not " + capacity);
        }
        this.keys = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized boolean contains(String key) {
        return keys.containsKey(key);
    }

    /** Called only after Kafka acknowledged the records: a key remembered too early would be skipped for good. */
    public synchronized void addAll(Collection<String> published) {
        published.forEach(key -> keys.put(key, Boolean.TRUE));
    }
}
