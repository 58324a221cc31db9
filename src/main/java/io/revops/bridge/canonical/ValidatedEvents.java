package io.revops.bridge.canonical;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.revops.bridge.policy.StoredText;

/**
 * The consumed events this JVM already found valid, so that the routes sharing a topic (three consume every account
 * event) parse and check each one once, not once per route. An entry is the SHA-256 of everything validation reads:
 * the CloudEvent headers, the topic and the SHA-256 of the body, so only the very same event skips the checks (the
 * schemas are fixed for the life of the JVM). Invalid events are never remembered: each consumer decides on its own
 * whether it dead-letters or skips them. The routes of a topic read an event at nearly the same moment: the first
 * validates it while the others wait for its verdict rather than validating it too. An event this JVM publishes is
 * checked on the way out under the key its consumers will compute (CanonicalEvents.validateProduced), so none of them
 * checks it again. Bounded: when full it starts over, which only costs a validation again.
 */
final class ValidatedEvents {
    private final int capacity;
    private final Map<String, Boolean> valid = new ConcurrentHashMap<>();

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

    /** Runs {@code check} unless this event passed it already; a refusal (its exception) is not remembered. */
    void checkOnce(String key, Runnable check) {
        if (valid.containsKey(key)) {
            return;
        }
        if (valid.size() >= capacity) {
            valid.clear();
        }
        // a consumer of the same event arriving meanwhile waits for this check instead of repeating it
        valid.computeIfAbsent(key, k -> {
            check.run();
            return Boolean.TRUE;
        });
    }
}
