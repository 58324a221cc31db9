package io.revops.bridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.revops.bridge.testing.FreePorts;

/** The sandbox broker is a real Kafka: a record produced with acks=all is consumed back. */
class KafkaBrokerTest {
    @Test
    void startsARealBrokerOnceAndReusesIt() throws Exception {
        // a port of its own: on a fixed one it reused whatever broker another checkout's run had left listening there
        KafkaBroker broker = new KafkaBroker(FreePorts.forKafka(), Path.of("target", "sandbox-test", "kafka"));
        broker.ensureRunning();
        broker.ensureRunning(); // second call finds it listening

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("sandbox.check", "k", "hello")).get();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers(), "group.id", "check", "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("sandbox.check"));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            for (int i = 0; i < 50 && records.isEmpty(); i++) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.iterator().next().value()).isEqualTo("hello");
        }
    }
}
