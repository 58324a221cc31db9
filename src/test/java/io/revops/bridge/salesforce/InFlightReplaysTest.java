package io.revops.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/** The checkpoint of a subscription whose events complete out of order (asynchronous Kafka sends). */
class InFlightReplaysTest {
    private final List<String> saved = new CopyOnWriteArrayList<>();
    private final InFlightReplays window = new InFlightReplays(3, saved::add);

    @Test
    void theCheckpointCoversOnlyEventsWithEveryEarlierOneDone() throws Exception {
        InFlightReplays.Entry first = window.enter("r1");
        InFlightReplays.Entry second = window.enter("r2");
        InFlightReplays.Entry third = window.enter("r3");

        window.done(third, true);
        window.done(second, true);
        assertThat(saved).as("r1 is still on its way: nothing may be checkpointed").isEmpty();

        window.done(first, true);
        assertThat(saved).as("one save for the whole acknowledged run").containsExactly("r3");
    }

    @Test
    void aFailureThatWasNotDeadLetteredHoldsTheCheckpointBeforeIt() throws Exception {
        InFlightReplays.Entry first = window.enter("r1");
        InFlightReplays.Entry failed = window.enter("r2");
        InFlightReplays.Entry third = window.enter("r3");

        window.done(first, true);
        window.done(failed, false);
        window.done(third, true);
        InFlightReplays.Entry later = window.enter("r4");
        window.done(later, true);

        assertThat(saved).as("a restart resumes after r1 and delivers r2 again").containsExactly("r1");
    }

    @Test
    void aFullWindowMakesTheSubscriptionWaitUntilAnEventIsDone() throws Exception {
        InFlightReplays.Entry first = window.enter("r1");
        window.enter("r2");
        window.enter("r3");
        List<String> entered = new CopyOnWriteArrayList<>();
        Thread subscription = new Thread(() -> {
            try {
                window.enter("r4");
                entered.add("r4");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        subscription.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> subscription.getState() == Thread.State.WAITING);
        assertThat(entered).as("three in flight: the fourth waits").isEmpty();

        window.done(first, true);

        await().atMost(Duration.ofSeconds(5)).until(() -> entered.contains("r4"));
        assertThat(saved).containsExactly("r1");
    }

    @Test
    void aFailedSaveIsRetriedByTheNextEventThatIsDone() throws Exception {
        List<String> attempts = new CopyOnWriteArrayList<>();
        InFlightReplays flaky = new InFlightReplays(3, position -> {
            attempts.add(position);
            if (attempts.size() == 1) {
                throw new IllegalStateException("database down");
            }
        });
        InFlightReplays.Entry first = flaky.enter("r1");
        InFlightReplays.Entry second = flaky.enter("r2");

        flaky.done(first, true);
        flaky.done(second, true);

        assertThat(attempts).containsExactly("r1", "r2");
    }
}
