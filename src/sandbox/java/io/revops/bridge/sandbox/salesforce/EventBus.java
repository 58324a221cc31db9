package io.revops.bridge.sandbox.salesforce;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The org's event bus: per topic, Avro-encoded events with increasing replay ids (8-byte big-endian), kept for the
 * retention window (72 hours, as Salesforce keeps CDC and high-volume platform events), and pushed to live
 * subscriptions. Schemas are registered under a stable id derived from their JSON, like Salesforce's schema ids.
 */
final class EventBus {
    record StoredEvent(long replayId, String eventId, String schemaId, byte[] payload, Instant publishedAt) {
        static byte[] replayBytes(long replayId) {
            return ByteBuffer.allocate(Long.BYTES).putLong(replayId).array();
        }
    }

    interface Subscriber {
        void eventsAvailable();
    }

    private final Map<String, List<StoredEvent>> topics = new ConcurrentHashMap<>();
    private final Map<String, String> topicSchemas = new ConcurrentHashMap<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    /** Schema -> its id: every publish names its schema, and hashing its JSON each time cost more than the encoding. */
    private final Map<Schema, String> schemaIds = new ConcurrentHashMap<>();
    private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private volatile Duration retention = Duration.ofHours(72);
    private long lastReplayId;

    void setRetention(Duration retention) {
        this.retention = retention;
    }

    String register(String topic, Schema schema) {
        String schemaId = schemaIds.computeIfAbsent(schema, EventBus::schemaId);
        schemas.putIfAbsent(schemaId, schema);
        topicSchemas.putIfAbsent(topic, schemaId);
        topics.computeIfAbsent(topic, t -> new ArrayList<>());
        return schemaId;
    }

    /** A topic without a schema of its own, whose events carry their own schema ids (/data/ChangeEvents). */
    void registerChannel(String topic) {
        topics.computeIfAbsent(topic, t -> new ArrayList<>());
    }

    Optional<String> schemaIdOf(String topic) {
        return Optional.ofNullable(topicSchemas.get(topic));
    }

    Optional<Schema> schema(String schemaId) {
        return Optional.ofNullable(schemas.get(schemaId));
    }

    boolean exists(String topic) {
        return topics.containsKey(topic);
    }

    long publish(String topic, GenericRecord event) {
        String schemaId = register(topic, event.getSchema());
        return publish(topic, schemaId, encode(event), UUID.randomUUID().toString());
    }

    /** One event on several channels (an object's change channel and /data/ChangeEvents): one replay id, one event id. */
    long publish(List<String> channels, GenericRecord event) {
        String schemaId = register(channels.get(0), event.getSchema());
        return publish(channels, schemaId, encode(event), UUID.randomUUID().toString());
    }

    long publish(String topic, String schemaId, byte[] payload, String eventId) {
        return publish(List.of(topic), schemaId, payload, eventId);
    }

    private long publish(List<String> channels, String schemaId, byte[] payload, String eventId) {
        long replayId;
        synchronized (this) {
            replayId = ++lastReplayId;
            StoredEvent event = new StoredEvent(replayId, eventId, schemaId, payload, Instant.now());
            for (String channel : channels) {
                List<StoredEvent> events = topics.computeIfAbsent(channel, t -> new ArrayList<>());
                synchronized (events) {
                    events.add(event);
                }
            }
        }
        channels.forEach(this::notifySubscribers);
        return replayId;
    }

    /** Retained events of a topic with a replay id greater than {@code after}, oldest first, at most {@code max}. */
    List<StoredEvent> after(String topic, long after, int max) {
        List<StoredEvent> events = topics.getOrDefault(topic, List.of());
        Instant horizon = Instant.now().minus(retention);
        List<StoredEvent> batch = new ArrayList<>();
        synchronized (events) {
            // a catch-up asks for the next 100 of many thousands: start at the cursor, not at the oldest event
            for (int i = firstAfter(events, after); i < events.size() && batch.size() < max; i++) {
                StoredEvent event = events.get(i);
                if (event.publishedAt().isAfter(horizon)) {
                    batch.add(event);
                }
            }
        }
        return batch;
    }

    /** Index of the first event with a replay id greater than {@code after}: events are kept in replay id order. */
    private static int firstAfter(List<StoredEvent> events, long after) {
        int low = 0;
        int high = events.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (events.get(middle).replayId() <= after) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Whether a replay id is still retained: a subscription can resume right after it. */
    boolean retained(String topic, long replayId) {
        Instant horizon = Instant.now().minus(retention);
        List<StoredEvent> events = topics.getOrDefault(topic, List.of());
        synchronized (events) {
            return events.stream().anyMatch(e -> e.replayId() == replayId && e.publishedAt().isAfter(horizon));
        }
    }

    Optional<StoredEvent> find(String topic, long replayId) {
        List<StoredEvent> events = topics.getOrDefault(topic, List.of());
        synchronized (events) {
            return events.stream().filter(e -> e.replayId() == replayId).findFirst();
        }
    }

    /** The replay id of the newest event of the topic (0 when none). */
    long latest(String topic) {
        List<StoredEvent> events = topics.getOrDefault(topic, List.of());
        synchronized (events) {
            return events.isEmpty() ? 0 : events.get(events.size() - 1).replayId();
        }
    }

    List<StoredEvent> all(String topic) {
        List<StoredEvent> events = topics.getOrDefault(topic, List.of());
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    void subscribe(String topic, Subscriber subscriber) {
        subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    void unsubscribe(String topic, Subscriber subscriber) {
        subscribers.getOrDefault(topic, List.of()).remove(subscriber);
    }

    List<Subscriber> subscribers(String topic) {
        return subscribers.getOrDefault(topic, List.of());
    }

    private void notifySubscribers(String topic) {
        subscribers.getOrDefault(topic, List.of()).forEach(Subscriber::eventsAvailable);
    }

    static byte[] encode(GenericRecord event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(event.getSchema()).write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String schemaId(Schema schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(schema.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
