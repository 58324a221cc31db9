package io.revops.bridge.ops;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Kafka consumer lag of every route that consumes Kafka, as the broker sees it (end offsets minus the route's
 * committed offsets), in the gauge revops.kafka.consumer.lag{group,topic}. Read from the broker rather than from the
 * consumer, so the lag keeps growing while a consumer waits on an open circuit or hangs.
 */
@ApplicationScoped
public class ConsumerLag extends RouteBuilder {
    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);

    @Inject
    CamelContext camel;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();
    private Admin admin;

    @Override
    public void configure() {
        from("timer:consumer-lag-watch?period={{revops.consumer-lag.period}}").routeId("consumer-lag-watch")
                .process(e -> measure());
    }

    void measure() {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof KafkaEndpoint kafka && kafka.getConfiguration().getGroupId() != null) {
                String group = kafka.getConfiguration().getGroupId();
                String topic = kafka.getConfiguration().getTopic();
                try {
                    lag(group, topic).set(measure(group, topic));
                } catch (Exception e) {
                    LOG.debugf("Lag of %s on %s not measured: %s", group, topic, e.getMessage());
                }
            }
        }
    }

    private long measure(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        var partitions = admin().describeTopics(java.util.List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition()))
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        var ends = admin().listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    private AtomicLong lag(String group, String topic) {
        return lags.computeIfAbsent(group + "/" + topic, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("revops.kafka.consumer.lag", value, AtomicLong::get).tags("group", group, "topic", topic)
                    .description("Events on the topic the consumer group has not committed yet").register(meters);
            return value;
        });
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
