package io.revops.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.Sql;
import io.smallrye.health.SmallRyeHealthReporter;

/**
 * Issue 10's stalling event, end to end over the real broker: a payment with a 300-character subject, no ce_id and an
 * unreadable amount, while the dead-letter table is gone. The event stays in Kafka and comes back with backoff (not
 * twice a second), readiness is DOWN and the failures are counted; once the table is back the dead letter is stored
 * under the derived id and the route reads on.
 */
@QuarkusTest
class DeadLetterStoreOutageTest {
    private static final String TOPIC = "revops.payment.v1";

    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry meters;
    @Inject
    SmallRyeHealthReporter health;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void anEventThatCannotBeDeadLetteredWaitsInKafkaWithBackoffAndIsStoredOnceTheStoreWorks() throws Exception {
        KafkaTopic payments = new KafkaTopic(bootstrap, TOPIC);
        String subject = "stall-" + "S".repeat(300); // the poison corpus sends 300 x "S" on this topic too
        double failuresBefore = failures();
        Sql.update(dataSource, "ALTER TABLE dead_letter RENAME TO dead_letter_away");
        long started;
        try {
            payments.publish(new KafkaTopic.Event(0, 0, subject, "{\"paymentId\":\"p-stall\",\"invoiceNumber\":\"KB-1\","
                    + "\"amount\":{\"amount\":\"ten\",\"currency\":\"USD\"}}", Map.of("ce_specversion", "1.0",
                    "ce_type", "revops.payment.received.v1", "ce_source", "/billing/payments", "ce_subject", subject)));
            await().atMost(Duration.ofSeconds(30)).until(() -> failures() > failuresBefore);
            started = System.nanoTime();
            assertThat(readiness()).as("readiness while the store fails").isEqualTo("DOWN");
            await().atMost(Duration.ofSeconds(30)).until(() -> failures() >= failuresBefore + 5);
        } finally {
            Sql.update(dataSource, "ALTER TABLE dead_letter_away RENAME TO dead_letter");
        }
        Duration fourRetries = Duration.ofNanos(System.nanoTime() - started);
        // %test backoff: 0.5 s doubling up to 2 s, so 4 more attempts take at least 0.5 + 1 + 2 + 2 s
        assertThat(fourRetries).as("no hot loop").isGreaterThanOrEqualTo(Duration.ofMillis(5000));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Sql.rows(dataSource,
                "SELECT event_id, category, reason_code FROM dead_letter WHERE route_id = 'erp-payment-posting'"
                        + " AND business_key_key = ?", StoredText.keyOf(subject))).singleElement().satisfies(row -> {
                            assertThat((String) row.get("event_id")).startsWith("derived:" + TOPIC + ":");
                            assertThat(row).containsEntry("category", "business");
                            assertThat(row.get("reason_code")).isNotNull();
                        }));
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(readiness()));
        KafkaTopic.Event stalled = payments.readAll().stream().filter(e -> subject.equals(e.header("ce_subject")))
                .findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(
                () -> payments.committedOffset("erp-payment-posting", stalled.partition()) > stalled.offset());
    }

    private double failures() {
        var counter = meters.find("revops.dead.letter.store.failures").counter();
        return counter == null ? 0 : counter.count();
    }

    private String readiness() {
        return health.getReadiness().getPayload().getJsonArray("checks").stream()
                .map(check -> check.asJsonObject())
                .filter(check -> "dead-letter-store".equals(check.getString("name")))
                .map(check -> check.getString("status")).findFirst().orElse("missing");
    }
}
