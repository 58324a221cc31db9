package io.revops.bridge.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records to the real broker byte for byte, as a hostile or broken producer would: any header bytes (NUL,
 * invalid UTF-8, a header without a value), any value (none at all included). Sends are batched; {@link #flush()}
 * waits for the broker and says where each record landed.
 */
public final class RawKafka implements AutoCloseable {
    /** Where a record landed. */
    public record Sent(String topic, int partition, long offset) {
    }

    /** A record to write; a header value may be null. */
    public record RawRecord(String topic, String key, List<Map.Entry<String, byte[]>> headers, byte[] value) {
    }

    private final KafkaProducer<String, byte[]> producer;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    public RawKafka(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // one in-flight request: the records of one partition land in the order they were sent
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(props);
    }

    public void send(RawRecord record) {
        ProducerRecord<String, byte[]> kafka = new ProducerRecord<>(record.topic(), record.key(), record.value());
        record.headers().forEach(h -> kafka.headers().add(h.getKey(), h.getValue()));
        pending.add(producer.send(kafka));
    }

    /** Waits until the broker acknowledged every record sent so far; their places, in the order they were sent. */
    public List<Sent> flush() {
        producer.flush();
        List<Sent> sent = new ArrayList<>();
        try {
            for (Future<RecordMetadata> future : pending) {
                RecordMetadata metadata = future.get();
                sent.add(new Sent(metadata.topic(), metadata.partition(), metadata.offset()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        pending.clear();
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
