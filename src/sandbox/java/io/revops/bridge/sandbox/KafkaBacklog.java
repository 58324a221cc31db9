package io.revops.bridge.sandbox;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Empties every topic of a reused sandbox broker (revops.sandbox.kafka.empty-on-start): each start of the sandbox has
 * a fresh emulated org, which hands out the same record ids as the org before it, so that org's events still in Kafka
 * would otherwise reach the new ERP and billing emulators and write back onto the new org's records under the same ids.
 * Topics, their partitions and the consumer groups stay: every consumer's committed offset falls before the new start
 * of its partition's log, and its autoOffsetReset (earliest) moves it there.
 */
final class KafkaBacklog {
    private static final Logger LOG = Logger.getLogger(KafkaBacklog.class);

    private KafkaBacklog() {
    }

    static void empty(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var topics = admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> ends = topics.values().stream()
                    .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
                    .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> offsets = admin.listOffsets(ends).all().get();
            admin.deleteRecords(offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> RecordsToDelete.beforeOffset(e.getValue().offset())))).all().get();
            LOG.infof("Emptied %d Kafka topics (revops.sandbox.kafka.empty-on-start)", topics.size());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot empty the sandbox Kafka topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while emptying the sandbox Kafka topics", e);
        }
    }
}
