package io.revops.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replay checkpoint written once per interval (revops.salesforce.checkpoint-interval), not once per change. */
class ReplayWindowTest {
    private static final String ROUTE = "salesforce-account-inbound";
    private final List<String> written = new CopyOnWriteArrayList<>();
    private final ReplayCheckpoints checkpoints = new ReplayCheckpoints(null) {
        @Override
        public void save(String subscription, String topic, String replayId) {
            written.add(replayId);
        }
    };
    private final CamelContext camel = new DefaultCamelContext();
    private ReplayWindow window;

    @AfterEach
    void stopWindow() {
        window.stop();
    }

    @Test
    void theAckThreadsWriteNothingARestartInPlaceWritesTheNewestDonePositionFirst() throws Exception {
        window = new ReplayWindow(checkpoints, 100, Duration.ofHours(1));
        List<Exchange> changes = List.of(enter("r1"), enter("r2"), enter("r3"), enter("r4"));
        done(changes.get(0));
        done(changes.get(1));
        done(changes.get(3));
        assertThat(written).as("nothing written by the threads that complete changes").isEmpty();

        window.restart(ROUTE);
        assertThat(written).as("r3 is not done: the restart resumes after r2 and delivers r3, r4 again").containsExactly("r2");
    }

    @Test
    void aCatchUpIsWrittenOncePerIntervalWithoutAnyRestart() throws Exception {
        window = new ReplayWindow(checkpoints, 100, Duration.ofMillis(50));
        for (int i = 1; i <= 50; i++) {
            done(enter("r" + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> written.contains("r50"));
        List<Integer> positions = written.stream().map(id -> Integer.parseInt(id.substring(1))).toList();
        assertThat(positions).as("positions only move forward, the last one written is the newest").isSorted()
                .doesNotHaveDuplicates().endsWith(50);
    }

    @Test
    void aCheckpointTheDatabaseRefusedIsWrittenAgainWithoutAnotherChange() throws Exception {
        AtomicInteger refusals = new AtomicInteger(2);
        ReplayCheckpoints databaseDownTwice = new ReplayCheckpoints(null) {
            @Override
            public void save(String subscription, String topic, String replayId) throws SQLException {
                if (refusals.getAndDecrement() > 0) {
                    throw new SQLException("Connection refused");
                }
                written.add(replayId);
            }
        };
        window = new ReplayWindow(databaseDownTwice, 100, Duration.ofMillis(50));
        done(enter("r1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> written.contains("r1"));
        assertThat(refusals.get()).as("refused twice, then written by the writer's own retries").isNegative();
        assertThat(written).containsExactly("r1");
    }

    private Exchange enter(String replayId) throws InterruptedException {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getExchangeExtension().setFromRouteId(ROUTE);
        exchange.getMessage().setHeader(SalesforceConstants.HEADER_SALESFORCE_PUBSUB_REPLAY_ID, replayId);
        window.enter(exchange);
        return exchange;
    }

    private static void done(Exchange exchange) {
        exchange.getExchangeExtension().handoverCompletions().forEach(completion -> completion.onComplete(exchange));
    }
}
