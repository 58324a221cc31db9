package io.revops.bridge.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
    @Inject
    KafkaAdmin kafka;

    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    @Override
    public void configure() {
        from("timer:consumer-lag-watch?period={{revops.consumer-lag.period}}").routeId("consumer-lag-watch")
                .process(e -> measure());
    }

    void measure() {
        Map<String, Set<String>> groupsByTopic = new HashMap<>();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof KafkaEndpoint endpoint && endpoint.getConfiguration().getGroupId() != null) {
                groupsByTopic.computeIfAbsent(endpoint.getConfiguration().getTopic(), t -> new TreeSet<>())
                        .add(endpoint.getConfiguration().getGroupId());
            }
        }
        for (var topicGroups : groupsByTopic.entrySet()) {
            String topic = topicGroups.getKey();
            try {
                Map<TopicPartition, Long> ends = endOffsets(topic); // once per topic, shared by its groups
                for (String group : topicGroups.getValue()) {
                    gauge(group, topic).set(lag(group, ends));
                }
            } catch (Exception e) {
                LOG.debugf("Lag on %s not measured: %s", topic, e.getMessage());
                if (brokerSilent(e)) {
                    // the next topic would wait as long: a round with Kafka absent held shutdown 10 s (5 topics x 2 s)
                    return;
                }
            }
        }
    }

    /** The broker did not answer in time (Kafka's own timeout, or ours on the future). */
    private static boolean brokerSilent(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        Admin admin = kafka.client();
        var latest = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
                .stream().collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private long lag(String group, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.client().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    private AtomicLong gauge(String group, String topic) {
        return lags.computeIfAbsent(group + "/" + topic, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("revops.kafka.consumer.lag", value, AtomicLong::get).tags("group", group, "topic", topic)
                    .description("Events on the topic the consumer group has not committed yet").register(meters);
            return value;
        });
    }
}
