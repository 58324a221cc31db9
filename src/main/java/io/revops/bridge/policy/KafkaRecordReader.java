package io.revops.bridge.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads back the value of one Kafka record by its position ("topic:partition:offset", as the idempotency repository
 * keeps it), for an event-id-conflict dead letter that must hold the first body too. Rare (only on a conflict), so a
 * short-lived consumer of its own, without a group: nothing is committed.
 */
@ApplicationScoped
@Named("kafkaRecordReader") // looked up from the Camel registry by the route files' idempotent repositories
public class KafkaRecordReader {
    private static final Logger LOG = Logger.getLogger(KafkaRecordReader.class);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String bootstrap;

    public KafkaRecordReader(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** The record's value as text, or empty when the position is unreadable or Kafka no longer has the record. */
    public Optional<String> valueAt(String location) {
        String[] parts = location == null ? new String[0] : location.split(":");
        if (parts.length < 3) {
            return Optional.empty();
        }
        try {
            String topic = String.join(":", List.of(parts).subList(0, parts.length - 2));
            TopicPartition partition = new TopicPartition(topic, Integer.parseInt(parts[parts.length - 2]));
            long offset = Long.parseLong(parts[parts.length - 1]);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(partition));
                consumer.seek(partition, offset);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() == offset) {
                            return Optional.ofNullable(record.value()).map(v -> new String(v, StandardCharsets.UTF_8));
                        }
                        return Optional.empty(); // the record is gone (compacted or past retention)
                    }
                }
            }
        } catch (RuntimeException unreadable) {
            LOG.debugf("Kafka record %s not read back: %s", location, unreadable.getMessage());
        }
        return Optional.empty();
    }
}
