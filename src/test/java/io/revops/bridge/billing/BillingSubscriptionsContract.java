package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * Subscription activation, asserted by reading Kill Bill back over REST. Runs against the emulator (default tier)
 * and the real Kill Bill (conformance tier).
 */
abstract class BillingSubscriptionsContract extends KillBillContract {
    private static final Duration INVOICING = Duration.ofSeconds(30);
    /** How long an invoice count must hold to show that nothing more is being invoiced. */
    private static final Duration INVOICING_SETTLES = Duration.ofSeconds(2);
    protected BillingSubscriptions subscriptions;

    @BeforeEach
    void adapter() {
        subscriptions = new BillingSubscriptions(client, SeatClaims.inMemory());
    }

    @Test
    void createsTheSubscriptionsOnOurKeys() {
        String account = billingAccount();
        String order = orderNumber();

        List<BillingSubscription> active = subscriptions.activate(request(account, order,
                line(order + "-1-1", "standard-monthly"), line(order + "-2-1", "premium-monthly")));

        assertThat(active).extracting(BillingSubscription::externalKey).containsExactly(order + "-1-1", order + "-2-1");
        assertThat(active).allMatch(BillingSubscription::created).allMatch(s -> s.state().equals("ACTIVE"));
        JsonNode first = subscription(order + "-1-1");
        assertThat(first.path("subscriptionId").asText()).isEqualTo(active.get(0).subscriptionId());
        assertThat(first.path("planName").asText()).isEqualTo("standard-monthly");
        assertThat(first.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(first.path("accountId").asText()).isEqualTo(accountId(account));
        assertThat(first.path("bundleExternalKey").asText()).isEqualTo(order + "-1-1");
        assertThat(subscription(order + "-2-1").path("planName").asText()).isEqualTo("premium-monthly");
    }

    @Test
    void reconciliationReadsAnOrdersSubscriptionsFromTheAccountsBundles() {
        String account = billingAccount();
        String order = orderNumber();
        String other = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-1-2", "standard-monthly")));
        subscriptions.activate(request(account, other, line(other + "-1-1", "premium-monthly")));

        assertThat(subscriptions.ofOrder(account, order)).extracting(BillingSubscription::externalKey,
                BillingSubscription::planName, BillingSubscription::state).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(order + "-1-1", "standard-monthly", "ACTIVE"),
                        org.assertj.core.groups.Tuple.tuple(order + "-1-2", "standard-monthly", "ACTIVE"));
        assertThat(subscriptions.ofOrder(account, orderNumber())).isEmpty();
        assertThat(subscriptions.ofOrder(key(), order)).as("an account billing does not hold").isEmpty();
    }

    @Test
    void activatingTwiceCreatesNothingMore() {
        String account = billingAccount();
        String order = orderNumber();
        Map<String, Object> request = request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-2-1", "standard-annual"));
        List<BillingSubscription> first = subscriptions.activate(request);

        List<BillingSubscription> second = subscriptions.activate(request);

        assertThat(second).noneMatch(BillingSubscription::created);
        assertThat(second).extracting(BillingSubscription::subscriptionId)
                .containsExactlyElementsOf(first.stream().map(BillingSubscription::subscriptionId).toList());
        assertThat(subscriptionKeysOf(account)).containsExactlyInAnyOrder(order + "-1-1", order + "-2-1");
    }

    @Test
    void aRefusedSubscriptionIsReportedWithItsContextAndAReplayCreatesOnlyTheMissingOne() {
        String account = billingAccount();
        String order = orderNumber();

        assertThatThrownBy(() -> subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-2-1", "no-such-plan"))))
                .isInstanceOfSatisfying(BusinessException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("billing-activation-failed"))
                .hasMessageContaining("order " + order).hasMessageContaining(account)
                .hasMessageContaining("Active: " + order + "-1-1 (standard-monthly)")
                .hasMessageContaining("Refused: " + order + "-2-1 (no-such-plan)")
                .hasMessageContaining("Could not find any plans named 'no-such-plan'")
                .hasMessageContaining("a replay creates only the missing");
        assertThat(subscriptionKeysOf(account)).containsExactly(order + "-1-1");

        List<BillingSubscription> replayed = subscriptions.activate(request(account, order,
                line(order + "-1-1", "standard-monthly"), line(order + "-2-1", "premium-monthly")));

        assertThat(replayed).extracting(BillingSubscription::created).containsExactly(false, true);
        assertThat(subscriptionKeysOf(account)).containsExactlyInAnyOrder(order + "-1-1", order + "-2-1");
        assertThat(subscription(order + "-2-1").path("planName").asText()).isEqualTo("premium-monthly");
    }

    @Test
    void aKeyAlreadyUsedByAnotherAccountIsRefusedNotTakenOver() {
        String order = orderNumber();
        subscriptions.activate(request(billingAccount(), order, line(order + "-1-1", "standard-monthly")));
        String other = billingAccount();

        assertThatThrownBy(() -> subscriptions.activate(request(other, order, line(order + "-1-1", "standard-monthly"))))
                .isInstanceOfSatisfying(BusinessException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("billing-activation-failed"))
                .hasMessageContaining("is already used by billing account");
        assertThat(subscriptionKeysOf(other)).isEmpty();
    }

    @Test
    void anAccountNotInBillingYetIsAMissingPrerequisite() {
        String account = key();
        String order = orderNumber();
        assertThatThrownBy(() -> subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"))))
                .isInstanceOfSatisfying(PrerequisiteMissingException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("account-not-in-billing"))
                .hasMessageContaining(account).hasMessageContaining(order);
    }

    @Test
    void concurrentActivationsOfOneOrderYieldOneSubscriptionPerKey() {
        String account = billingAccount();
        String order = orderNumber();
        Map<String, Object> request = request(account, order, line(order + "-1-1", "standard-monthly"));
        List<CompletableFuture<List<BillingSubscription>>> writers = IntStream.range(0, 3)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> subscriptions.activate(request))).toList();

        List<BillingSubscription> results = writers.stream().map(CompletableFuture::join).flatMap(List::stream).toList();

        assertThat(results).extracting(BillingSubscription::subscriptionId).containsOnly(results.get(0).subscriptionId());
        assertThat(results).filteredOn(BillingSubscription::created).hasSize(1);
        assertThat(subscriptionKeysOf(account)).containsExactly(order + "-1-1");
    }

    @Test
    void anActivationWithoutSubscriptionsIsAnInvalidEvent() {
        assertThatThrownBy(() -> subscriptions.activate(Map.of("accountKey", key(), "orderNumber", orderNumber(),
                "subscriptions", List.of(Map.of("externalKey", "x")))))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid-event"));
    }

    @Test
    void aContractChangeAddsItsSeatsFromItsEffectiveDateOnce() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly")));
        String change = orderNumber();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Map<String, Object> request = change(account, change, order, today, line(change + "-7-1", "standard-monthly"),
                line(change + "-7-2", "standard-monthly"));

        List<BillingSubscription> added = subscriptions.applyChange(request).added();
        List<BillingSubscription> replayed = subscriptions.applyChange(request).added();

        assertThat(added).extracting(BillingSubscription::externalKey).containsExactly(change + "-7-1", change + "-7-2");
        assertThat(added).allMatch(BillingSubscription::created);
        assertThat(replayed).noneMatch(BillingSubscription::created);
        assertThat(subscriptionKeysOf(account)).containsExactlyInAnyOrder(order + "-1-1", change + "-7-1", change + "-7-2");
        assertThat(subscription(change + "-7-1").path("startDate").asText()).isEqualTo(today);
        assertThat(subscription(change + "-7-1").path("billingStartDate").asText()).isEqualTo(today);
    }

    @Test
    void aContractChangeBillingRefusesNamesTheErpSaleToCompensate() {
        String account = billingAccount();
        String change = orderNumber();
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        assertThatThrownBy(() -> subscriptions.applyChange(change(account, change, "00000101", today,
                line(change + "-7-1", "standard-monthly"), line(change + "-8-1", "no-such-plan"))))
                .isInstanceOfSatisfying(BusinessException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("billing-change-failed"))
                .hasMessageContaining("contract change " + change + " of order 00000101")
                .hasMessageContaining("booked in the ERP (sale SO77)")
                .hasMessageContaining("Active: " + change + "-7-1 (standard-monthly)")
                .hasMessageContaining("Refused: " + change + "-8-1 (no-such-plan)")
                .hasMessageContaining("Could not find any plans named 'no-such-plan'")
                .hasMessageContaining("cancelling the ERP sale SO77");
        assertThat(subscriptionKeysOf(account)).containsExactly(change + "-7-1");
    }

    @Test
    void aReductionCancelsTheHighestSeatsAtTheEndOfTheTermOnceAndTheNextReductionTheNextOnes() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-1-2", "standard-monthly"), line(order + "-1-3", "standard-monthly")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String endOfTerm = subscription(order + "-1-3").path("chargedThroughDate").asText();
        Map<String, Object> removeTwo = reduction(account, orderNumber(), order, today, "END_OF_TERM", order + "-1-", 2);

        AppliedChange first = subscriptions.applyChange(removeTwo);
        AppliedChange replayed = subscriptions.applyChange(removeTwo);

        assertThat(first.cancelled()).extracting(CancelledSeat::externalKey).containsExactly(order + "-1-3", order + "-1-2");
        assertThat(replayed.cancelled()).extracting(CancelledSeat::externalKey).containsExactly(order + "-1-3", order + "-1-2");
        assertThat(subscription(order + "-1-3").path("cancelledDate").asText()).isEqualTo(endOfTerm);
        assertThat(subscription(order + "-1-3").path("billingEndDate").asText()).isEqualTo(endOfTerm);
        assertThat(subscription(order + "-1-3").path("state").asText()).isEqualTo("ACTIVE"); // until the end of the term
        assertThat(subscription(order + "-1-1").path("cancelledDate").isNull()).as("the seat left running").isTrue();

        AppliedChange next = subscriptions.applyChange(reduction(account, orderNumber(), order, today, "END_OF_TERM",
                order + "-1-", 1));
        assertThat(next.cancelled()).extracting(CancelledSeat::externalKey).containsExactly(order + "-1-1");
    }

    @Test
    void anImmediateReductionEndsServiceAndBillingToday() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-1-2", "standard-monthly")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        AppliedChange applied = subscriptions.applyChange(reduction(account, orderNumber(), order, today, "IMMEDIATE",
                order + "-1-", 1));

        assertThat(applied.cancelled()).extracting(CancelledSeat::externalKey).containsExactly(order + "-1-2");
        JsonNode cancelled = subscription(order + "-1-2");
        assertThat(cancelled.path("cancelledDate").asText()).isEqualTo(today);
        assertThat(cancelled.path("billingEndDate").asText()).isEqualTo(today);
        assertThat(subscription(order + "-1-1").path("cancelledDate").isNull()).isTrue();
    }

    @Test
    void removingMoreSeatsThanRunIsRefusedWithTheSeatsCancelledNamed() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly")));
        String change = orderNumber();

        assertThatThrownBy(() -> subscriptions.applyChange(reduction(account, change, order,
                LocalDate.now(ZoneOffset.UTC).toString(), "END_OF_TERM", order + "-1-", 2)))
                .isInstanceOfSatisfying(BusinessException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("billing-change-failed"))
                .hasMessageContaining("Cancelled: " + order + "-1-1")
                .hasMessageContaining("removes 2 seats but only 1 of the line are still running in billing")
                .hasMessageContaining("cancelling the ERP sale SO77");
    }

    @Test
    void aReductionReachesTheSeatsEarlierAmendmentsAddedToTheLineLastAddedFirst() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-1-2", "standard-monthly")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String amendment = orderNumber();
        subscriptions.applyChange(change(account, amendment, order, today, line(amendment + "-7-1", "standard-monthly"),
                line(amendment + "-7-2", "standard-monthly")));
        Map<String, Object> removeThree = Map.of("accountKey", account, "changeId", orderNumber(), "orderNumber", order,
                "erpSale", "SO77", "effectiveDate", today, "subscriptions", List.of(), "cancellationPolicy", "END_OF_TERM",
                "cancellations", List.of(Map.of("lineId", "8", "count", 3,
                        "seatKeyPrefixes", List.of(order + "-1-", amendment + "-7-"))));

        AppliedChange applied = subscriptions.applyChange(removeThree);

        assertThat(applied.cancelled()).extracting(CancelledSeat::externalKey)
                .containsExactly(amendment + "-7-2", amendment + "-7-1", order + "-1-2");
        assertThat(subscription(order + "-1-1").path("cancelledDate").isNull()).as("the seat left running").isTrue();
    }

    @Test
    void aCancellationEndsEverySeatOfTheContractStillRunningOnceAlsoThoseAmendmentsAdded() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-1-2", "standard-monthly"), line(order + "-2-1", "premium-monthly")));
        String other = orderNumber();
        subscriptions.activate(request(account, other, line(other + "-1-1", "standard-monthly")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String endOfTerm = subscription(order + "-1-1").path("chargedThroughDate").asText();
        String amendment = orderNumber();
        subscriptions.applyChange(change(account, amendment, order, today, line(amendment + "-7-1", "standard-monthly"),
                line(amendment + "-8-1", "premium-monthly")));
        // an earlier reduction ended one seat already: the cancellation leaves it as it is
        subscriptions.applyChange(reduction(account, orderNumber(), order, today, "END_OF_TERM", order + "-1-", 1));
        Map<String, Object> cancel = cancellation(account, orderNumber(), order, today, "END_OF_TERM",
                List.of(order + "-1-", amendment + "-7-"), List.of(order + "-2-"), List.of(amendment + "-8-"));

        AppliedChange applied = subscriptions.applyChange(cancel);
        AppliedChange replayed = subscriptions.applyChange(cancel);

        List<String> ended = List.of(amendment + "-7-1", order + "-1-1", order + "-2-1", amendment + "-8-1");
        assertThat(applied.cancelled()).extracting(CancelledSeat::externalKey).containsExactlyElementsOf(ended);
        assertThat(replayed.cancelled()).extracting(CancelledSeat::externalKey).containsExactlyElementsOf(ended);
        assertThat(applied.cancelled()).allSatisfy(seat -> assertThat(seat.cancelledDate()).isEqualTo(endOfTerm));
        for (String seat : ended) {
            assertThat(subscription(seat).path("cancelledDate").asText()).as(seat).isEqualTo(endOfTerm);
            assertThat(subscription(seat).path("billingEndDate").asText()).as(seat).isEqualTo(endOfTerm);
        }
        assertThat(subscription(order + "-1-2").path("cancelledDate").asText()).as("ended by the reduction").isEqualTo(endOfTerm);
        assertThat(subscription(other + "-1-1").path("cancelledDate").isNull()).as("another order of the account").isTrue();
    }

    @Test
    void anImmediateCancellationEndsEverySeatToday() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-2-1", "premium-monthly")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        AppliedChange applied = subscriptions.applyChange(cancellation(account, orderNumber(), order, today, "IMMEDIATE",
                List.of(order + "-1-"), List.of(order + "-2-")));

        assertThat(applied.cancelled()).extracting(CancelledSeat::externalKey).containsExactly(order + "-1-1", order + "-2-1");
        for (String seat : List.of(order + "-1-1", order + "-2-1")) {
            assertThat(subscription(seat).path("cancelledDate").asText()).as(seat).isEqualTo(today);
            assertThat(subscription(seat).path("billingEndDate").asText()).as(seat).isEqualTo(today);
        }
    }

    @Test
    void aRenewalChangesNothingAndConfirmsTheSeatsOfTheContractThatRunOn() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-1-2", "standard-monthly")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String amendment = orderNumber();
        subscriptions.applyChange(change(account, amendment, order, today, line(amendment + "-7-1", "premium-monthly")));
        subscriptions.applyChange(reduction(account, orderNumber(), order, today, "END_OF_TERM", order + "-1-", 1));
        Map<String, Object> renewal = renewal(account, orderNumber(), order, today, amendment + "-7-");

        AppliedChange applied = subscriptions.applyChange(renewal);

        assertThat(applied.added()).isEmpty();
        assertThat(applied.cancelled()).isEmpty();
        assertThat(applied.continued()).extracting(BillingSubscription::externalKey)
                .containsExactlyInAnyOrder(order + "-1-1", amendment + "-7-1");
        assertThat(subscriptionKeysOf(account)).hasSize(3);
    }

    @Test
    void aRenewalOfAContractWhoseSeatsAllEndedIsRefusedNamingTheErpSale() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        subscriptions.applyChange(reduction(account, orderNumber(), order, today, "END_OF_TERM", order + "-1-", 1));
        String change = orderNumber();

        assertThatThrownBy(() -> subscriptions.applyChange(renewal(account, change, order, today)))
                .isInstanceOfSatisfying(BusinessException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("billing-change-failed"))
                .hasMessageContaining("renewal " + change + " of order " + order)
                .hasMessageContaining("nothing to renew")
                .hasMessageContaining("cancelling the ERP sale SO79");
    }

    @Test
    void aPlanChangeMovesEverySeatOfTheLineNowProratedAndAReplayChangesNothing() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly"),
                line(order + "-1-2", "standard-monthly"), line(order + "-2-1", "standard-monthly")));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Map<String, Object> upgrade = planChange(account, orderNumber(), today, order + "-1-", "premium-monthly");

        AppliedChange applied = subscriptions.applyChange(upgrade);
        // Kill Bill invoices a change after answering it: 3 standard seats, 2 premium, 2 repairs of the old plan
        await().atMost(INVOICING).until(() -> invoiceItems(account).size(), size -> size == 7);
        AppliedChange replayed = subscriptions.applyChange(upgrade);

        assertThat(applied.planChanged()).extracting(BillingSubscription::externalKey, BillingSubscription::planName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(order + "-1-2", "premium-monthly"),
                        org.assertj.core.groups.Tuple.tuple(order + "-1-1", "premium-monthly"));
        assertThat(replayed.planChanged()).extracting(BillingSubscription::externalKey).containsExactly(order + "-1-2", order + "-1-1");
        // nothing arrives later either: a replayed change would be invoiced as late as the first one
        await().during(INVOICING_SETTLES).atMost(INVOICING_SETTLES.plusSeconds(5))
                .untilAsserted(() -> assertThat(invoiceItems(account)).as("a replay bills nothing more").hasSize(7));
        for (String seat : List.of(order + "-1-1", order + "-1-2")) {
            JsonNode changed = subscription(seat);
            assertThat(changed.path("planName").asText()).as(seat).isEqualTo("premium-monthly");
            // Kill Bill keeps times in whole seconds: a change made within the second the seat started replaces its start
            assertThat(StreamSupport.stream(changed.path("events").spliterator(), false)
                    .filter(e -> List.of("START_BILLING", "CHANGE").contains(e.path("eventType").asText()))
                    .map(e -> e.path("plan").asText() + " " + e.path("effectiveDate").asText()).toList()).as(seat)
                    .isIn(List.of("standard-monthly " + today, "premium-monthly " + today), List.of("premium-monthly " + today));
        }
        assertThat(subscription(order + "-2-1").path("planName").asText()).as("another line").isEqualTo("standard-monthly");
        // Kill Bill prorates: the new plan for the rest of the paid period, the old plan's unused days repaired
        List<JsonNode> items = invoiceItems(account);
        assertThat(items.stream().filter(i -> i.path("itemType").asText().equals("RECURRING")
                && i.path("planName").asText().equals("premium-monthly")).map(i -> i.path("amount").decimalValue().toPlainString()))
                .containsExactly("25.00", "25.00");
        assertThat(items.stream().filter(i -> i.path("itemType").asText().equals("REPAIR_ADJ"))
                .map(i -> i.path("amount").decimalValue().toPlainString() + " " + i.hasNonNull("linkedInvoiceItemId")))
                .containsExactly("-10.00 true", "-10.00 true");
    }

    @Test
    void aPlanChangeToAPlanBillingDoesNotKnowIsRefusedNamingTheErpSale() {
        String account = billingAccount();
        String order = orderNumber();
        subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly")));
        String change = orderNumber();

        assertThatThrownBy(() -> subscriptions.applyChange(planChange(account, change, LocalDate.now(ZoneOffset.UTC).toString(),
                order + "-1-", "no-such-plan")))
                .isInstanceOfSatisfying(BusinessException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("billing-change-failed"))
                .hasMessageContaining("Refused: " + order + "-1-1 (change plan to no-such-plan)")
                .hasMessageContaining("Could not find any plans named 'no-such-plan'")
                .hasMessageContaining("cancelling the ERP sale SO80");
        assertThat(subscription(order + "-1-1").path("planName").asText()).isEqualTo("standard-monthly");
    }

    private static Map<String, Object> planChange(String account, String change, String effectiveDate, String seatKeyPrefix,
            String planName) {
        return Map.of("accountKey", account, "changeId", change, "orderNumber", seatKeyPrefix.split("-")[0], "erpSale", "SO80",
                "effectiveDate", effectiveDate, "subscriptions", List.of(), "cancellations", List.of(),
                "planChanges", List.of(Map.of("lineId", "7", "seatKeyPrefixes", List.of(seatKeyPrefix), "planName", planName)));
    }

    /** Every item of every invoice of the account, as Kill Bill lists them. */
    private List<JsonNode> invoiceItems(String accountKey) {
        JsonNode invoices = client.find("/1.0/kb/accounts/" + accountId(accountKey) + "/invoices?withItems=true").orElseThrow();
        return StreamSupport.stream(invoices.spliterator(), false)
                .flatMap(i -> StreamSupport.stream(i.path("items").spliterator(), false)).toList();
    }

    private static Map<String, Object> renewal(String account, String change, String order, String effectiveDate,
            String... amendmentSeatKeyPrefixes) {
        return Map.of("accountKey", account, "changeId", change, "orderNumber", order, "erpSale", "SO79",
                "effectiveDate", effectiveDate, "subscriptions", List.of(), "cancellations", List.of(),
                "renewal", Map.of("termMonths", 12, "amendmentSeatKeyPrefixes", List.of(amendmentSeatKeyPrefixes)));
    }

    private static Map<String, Object> reduction(String account, String change, String order, String effectiveDate,
            String policy, String seatKeyPrefix, int count) {
        return Map.of("accountKey", account, "changeId", change, "orderNumber", order, "erpSale", "SO77",
                "effectiveDate", effectiveDate, "subscriptions", List.of(), "cancellationPolicy", policy,
                "cancellations", List.of(Map.of("lineId", "7", "seatKeyPrefixes", List.of(seatKeyPrefix), "count", count)));
    }

    /** A whole-contract cancellation: every seat still running on each of the lines, no count. */
    @SafeVarargs
    private static Map<String, Object> cancellation(String account, String change, String order, String effectiveDate,
            String policy, List<String>... linesSeatKeyPrefixes) {
        return Map.of("accountKey", account, "changeId", change, "orderNumber", order, "erpSale", "SO78",
                "effectiveDate", effectiveDate, "subscriptions", List.of(), "cancellationPolicy", policy,
                "cancellations", IntStream.range(0, linesSeatKeyPrefixes.length)
                        .mapToObj(i -> Map.of("lineId", "9" + i, "seatKeyPrefixes", linesSeatKeyPrefixes[i])).toList());
    }

    @SafeVarargs
    private static Map<String, Object> change(String account, String change, String order, String effectiveDate,
            Map<String, Object>... lines) {
        return Map.of("accountKey", account, "changeId", change, "orderNumber", order, "erpSale", "SO77",
                "effectiveDate", effectiveDate, "subscriptions", List.of(lines));
    }

    @SafeVarargs
    protected static Map<String, Object> request(String account, String order, Map<String, Object>... lines) {
        return Map.of("accountKey", account, "orderNumber", order, "subscriptions", List.of(lines));
    }

    protected static Map<String, Object> line(String externalKey, String planName) {
        return Map.of("externalKey", externalKey, "planName", planName);
    }

    private JsonNode subscription(String externalKey) {
        return client.find("/1.0/kb/subscriptions?externalKey=" + URLEncoder.encode(externalKey, StandardCharsets.UTF_8))
                .orElseThrow();
    }

    private String accountId(String accountKey) {
        return accounts.find(accountKey).orElseThrow().accountId();
    }

    /** Every subscription of the account, counted over its bundles as Kill Bill lists them. */
    private List<String> subscriptionKeysOf(String accountKey) {
        JsonNode bundles = client.find("/1.0/kb/accounts/" + accountId(accountKey) + "/bundles").orElseThrow();
        return StreamSupport.stream(bundles.spliterator(), false)
                .flatMap(b -> StreamSupport.stream(b.path("subscriptions").spliterator(), false))
                .map(s -> s.path("externalKey").asText()).toList();
    }
}
