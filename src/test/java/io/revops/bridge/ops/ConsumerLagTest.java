package io.revops.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.revops.bridge.testing.FreePorts;

/**
 * The lag watch with Kafka absent: Camel's graceful shutdown waits for its round, so one round must not wait on the
 * broker once per topic (5 topics x the admin client's 2 s held a SIGTERM 10 s, past the shutdown timeout).
 */
class ConsumerLagTest {
    private static final int TOPICS = 4;
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final KafkaAdmin absentKafka = new KafkaAdmin();

    @AfterEach
    void close() throws Exception {
        absentKafka.close();
        camel.close();
    }

    @Test
    void aRoundEndsAtTheFirstTopicTheBrokerDoesNotAnswerFor() throws Exception {
        absentKafka.bootstrap = "127.0.0.1:" + FreePorts.forKafka(); // nothing listens there
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < TOPICS; i++) {
                    from("kafka:lag-topic-" + i + "?groupId=lag-group-" + i).routeId("lag-route-" + i).autoStartup(false)
                            .log("never started");
                }
            }
        });
        camel.start();
        ConsumerLag watch = new ConsumerLag();
        watch.camel = camel;
        watch.meters = new SimpleMeterRegistry();
        watch.kafka = absentKafka;

        long start = System.nanoTime();
        watch.measure();
        Duration round = Duration.ofNanos(System.nanoTime() - start);

        // one admin call times out after 2 s; waiting per topic took 4 x 2 s
        assertThat(round).isLessThan(Duration.ofSeconds(5));
        assertThat(watch.meters.getMeters()).as("no lag is made up for topics not measured").isEmpty();
    }
}
