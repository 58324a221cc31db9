package io.revops.bridge.canonical;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.revops.bridge.policy.StoredText;

/**
 * The consumed events this JVM already found valid, so that the routes sharing a topic (three consume every account
 * event) parse and check each one once, not once per route. An entry is the SHA-256 of everything validation reads:
 * the CloudEvent headers, the topic and the SHA-256 of the body, so only the very same event skips the checks (the
 * schemas are fixed for the life of the JVM). Invalid events are never remembered: each consumer decides on its own
 * whether it dead-letters or skips them. Bounded: when full it starts over, which only costs a validation again.
 */
final class ValidatedEvents {
    private final int capacity;
    private final Set<String> valid = ConcurrentHashMap.newKeySet();

    ValidatedEvents(int capacity) {
        this.capacity = capacity;
    }

    /** The key of an event: the SHA-256 of its body's SHA-256 and every attribute validation reads. */
    static String keyOf(String bodyHash, String... attributes) {
        StringBuilder key = new StringBuilder(bodyHash);
        for (String attribute : attributes) {
            // length-prefixed: no two different attribute lists make the same text
            key.append('|').append(attribute == null ? -1 : attribute.length()).append(':').append(attribute == null ? "" : attribute);
        }
        return StoredText.sha256(key.toString());
    }

    boolean known(String key) {
        return valid.contains(key);
    }

    void remember(String key) {
        if (valid.size() >= capacity) {
            valid.clear();
        }
        valid.add(key);
    }
}
