package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kill Bill's test clock, subscriptions started on another day, renewals and the credit of a paid period billing ends
 * immediately, asserted by reading Kill Bill back. Runs against the emulator (default tier) and the real Kill Bill
 * (conformance tier). The clock is the whole server's: a test that moves it puts it back in {@link #resetClock()}
 * (POST /1.0/kb/test/clock without requestedDate, which the real 0.22.26 answers with the real time again), works on
 * an account of its own and reads every date relative to the real today, never another test's.
 */
abstract class KillBillClockContract extends KillBillContract {
    private static final Duration ASYNC = Duration.ofSeconds(30); // the real server invoices on its notification queue
    private static final String CLOCK = "/1.0/kb/test/clock";

    @AfterEach
    void resetClock() {
        client.post(CLOCK, null);
    }

    @Test
    void theClockMovesToARequestedDayAndBackToTheRealTime() {
        LocalDate later = today().plusDays(3);

        JsonNode moved = client.post(CLOCK + "?requestedDate=" + later, null).body();

        assertThat(moved.path("localDate").asText()).isEqualTo(later.toString());
        assertThat(moved.path("currentUtcTime").asText()).startsWith(later + "T00:0").endsWith(".000Z");
        assertThat(moved.path("timeZone").asText()).isEqualTo("UTC");
        assertThat(client.find(CLOCK).orElseThrow().path("localDate").asText()).isEqualTo(later.toString());
        JsonNode back = client.post(CLOCK, null).body();
        assertThat(back.path("localDate").asText()).isEqualTo(today().toString());
    }

    @Test
    void aSubscriptionStartedInThePastIsInvoicedFromItsStartDay() {
        String account = billingAccount();
        LocalDate start = today().minusDays(10);

        JsonNode subscription = subscribe(account, "-1", start);

        assertThat(subscription.path("startDate").asText()).isEqualTo(start.toString());
        assertThat(subscription.path("billingStartDate").asText()).isEqualTo(start.toString());
        assertThat(subscription.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(subscription.path("billCycleDayLocal").asInt()).isEqualTo(start.getDayOfMonth());
        JsonNode invoice = await().atMost(ASYNC).until(() -> invoicesOf(account), l -> l.size() == 1).get(0);
        assertThat(invoice.path("targetDate").asText()).isEqualTo(start.toString());
        assertThat(items(invoice)).singleElement().satisfies(item -> {
            assertThat(item.path("itemType").asText()).isEqualTo("RECURRING");
            assertThat(item.path("startDate").asText()).isEqualTo(start.toString());
            assertThat(item.path("endDate").asText()).isEqualTo(start.plusMonths(1).toString());
            assertThat(item.path("amount").decimalValue()).isEqualByComparingTo("10.00");
        });
        assertThat(reread(subscription).path("chargedThroughDate").asText()).isEqualTo(start.plusMonths(1).toString());
    }

    @Test
    void aSubscriptionStartedLaterIsPendingUntilTheClockReachesItThenInvoiced() {
        String account = billingAccount();
        LocalDate start = today().plusDays(5);

        JsonNode subscription = subscribe(account, "-1", start);

        assertThat(subscription.path("state").asText()).isEqualTo("PENDING");
        assertThat(subscription.path("chargedThroughDate").isNull()).isTrue();
        assertThat(invoicesOf(account)).isEmpty();
        client.post(CLOCK + "?requestedDate=" + pastTheDayOf(start), null);
        JsonNode invoice = await().atMost(ASYNC).until(() -> invoicesOf(account), l -> l.size() == 1).get(0);
        assertThat(items(invoice)).singleElement().satisfies(item -> {
            assertThat(item.path("startDate").asText()).isEqualTo(start.toString());
            assertThat(item.path("endDate").asText()).isEqualTo(start.plusMonths(1).toString());
            assertThat(item.path("amount").decimalValue()).isEqualByComparingTo("10.00");
        });
        assertThat(reread(subscription).path("state").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void aSecondSubscriptionOfTheAccountIsProratedToItsBillCycleDay() {
        String account = billingAccount();
        LocalDate cycleStart = today().minusDays(15);
        subscribe(account, "-1", cycleStart);
        LocalDate cycleEnd = cycleStart.plusMonths(1);

        JsonNode second = subscribe(account, "-2", today());

        assertThat(second.path("billCycleDayLocal").asInt()).isEqualTo(cycleStart.getDayOfMonth());
        BigDecimal prorated = new BigDecimal("10.00").multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(today(), cycleEnd)))
                .divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(cycleStart, cycleEnd)), 2, RoundingMode.HALF_UP);
        JsonNode item = await().atMost(ASYNC).until(() -> itemsOf(account, second.path("subscriptionId").asText()), l -> !l.isEmpty()).get(0);
        assertThat(item.path("startDate").asText()).isEqualTo(today().toString());
        assertThat(item.path("endDate").asText()).isEqualTo(cycleEnd.toString());
        assertThat(item.path("amount").decimalValue()).isEqualByComparingTo(prorated);
        assertThat(reread(second).path("chargedThroughDate").asText()).isEqualTo(cycleEnd.toString());
    }

    @Test
    void movingTheClockToTheEndOfThePaidPeriodRenewsIt() {
        String account = billingAccount();
        LocalDate start = today();
        JsonNode subscription = subscribe(account, "-1", start);
        LocalDate renewal = start.plusMonths(1);
        // periods end on the bill cycle day (the start's, or the month's last day): Jan 31 renews Feb 28, then Mar 31
        LocalDate secondRenewal = start.plusMonths(2);
        await().atMost(ASYNC).until(() -> invoicesOf(account).size() == 1);

        client.post(CLOCK + "?requestedDate=" + pastTheDayOf(renewal), null);

        List<JsonNode> invoices = await().atMost(ASYNC).until(() -> invoicesOf(account), l -> l.size() == 2);
        JsonNode next = invoices.stream().filter(i -> i.path("targetDate").asText().equals(renewal.toString())).findFirst().orElseThrow();
        assertThat(items(next)).singleElement().satisfies(item -> {
            assertThat(item.path("itemType").asText()).isEqualTo("RECURRING");
            assertThat(item.path("subscriptionId").asText()).isEqualTo(subscription.path("subscriptionId").asText());
            assertThat(item.path("startDate").asText()).isEqualTo(renewal.toString());
            assertThat(item.path("endDate").asText()).isEqualTo(secondRenewal.toString());
            assertThat(item.path("amount").decimalValue()).isEqualByComparingTo("10.00");
        });
        assertThat(next.path("balance").decimalValue()).isEqualByComparingTo("10.00");
        await().atMost(ASYNC).until(() -> reread(subscription).path("chargedThroughDate").asText().equals(secondRenewal.toString()));
    }

    @Test
    void endingBillingImmediatelyCreditsTheUnusedDaysOfThePaidPeriod() {
        String account = billingAccount();
        LocalDate start = today().minusDays(15);
        JsonNode subscription = subscribe(account, "-1", start);
        JsonNode paid = await().atMost(ASYNC).until(() -> invoicesOf(account), l -> l.size() == 1).get(0);
        String recurringItem = items(paid).get(0).path("invoiceItemId").asText();
        LocalDate end = start.plusMonths(1);
        BigDecimal unused = new BigDecimal("10.00").multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(today(), end)))
                .divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(start, end)), 2, RoundingMode.HALF_UP);

        client.delete("/1.0/kb/subscriptions/" + subscription.path("subscriptionId").asText() + "?requestedDate=" + today()
                + "&billingPolicy=IMMEDIATE");

        List<JsonNode> invoices = await().atMost(ASYNC).until(() -> invoicesOf(account),
                l -> l.size() == 2 && l.get(0).path("balance").decimalValue().compareTo(new BigDecimal("10.00")) != 0);
        JsonNode credit = invoices.stream().filter(i -> !i.path("invoiceId").asText().equals(paid.path("invoiceId").asText()))
                .findFirst().orElseThrow();
        assertThat(credit.path("amount").decimalValue()).isEqualByComparingTo(unused.negate());
        assertThat(credit.path("creditAdj").decimalValue()).isEqualByComparingTo(unused);
        assertThat(credit.path("balance").decimalValue()).isEqualByComparingTo("0");
        assertThat(items(credit)).anySatisfy(item -> {
            assertThat(item.path("itemType").asText()).isEqualTo("REPAIR_ADJ");
            assertThat(item.path("linkedInvoiceItemId").asText()).isEqualTo(recurringItem);
            assertThat(item.path("startDate").asText()).isEqualTo(today().toString());
            assertThat(item.path("endDate").asText()).isEqualTo(end.toString());
            assertThat(item.path("amount").decimalValue()).isEqualByComparingTo(unused.negate());
        }).anySatisfy(item -> {
            assertThat(item.path("itemType").asText()).isEqualTo("CBA_ADJ");
            assertThat(item.path("amount").decimalValue()).isEqualByComparingTo(unused);
        });
        // the unpaid first invoice uses the credit
        JsonNode first = invoices.stream().filter(i -> i.path("invoiceId").asText().equals(paid.path("invoiceId").asText()))
                .findFirst().orElseThrow();
        assertThat(first.path("amount").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(first.path("creditAdj").decimalValue()).isEqualByComparingTo(unused.negate());
        assertThat(first.path("balance").decimalValue()).isEqualByComparingTo(new BigDecimal("10.00").subtract(unused));
        assertThat(reread(subscription).path("billingEndDate").asText()).isEqualTo(today().toString());
    }

    /**
     * Where to set the clock so Kill Bill acts on a day: the real server turns an account's dates into instants at the
     * account's reference time (the time of day it was created), so midnight of the day itself is too early; the
     * next midnight is past it whatever that time.
     */
    private static LocalDate pastTheDayOf(LocalDate day) {
        return day.plusDays(1);
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** A standard-monthly subscription of the account starting on {@code start} (service and billing). */
    private JsonNode subscribe(String account, String suffix, LocalDate start) {
        String key = account + suffix;
        client.post("/1.0/kb/subscriptions?entitlementDate=" + start + "&billingDate=" + start, Map.of(
                "accountId", accounts.find(account).orElseThrow().accountId(), "externalKey", key,
                "bundleExternalKey", key, "planName", "standard-monthly"));
        return client.find("/1.0/kb/subscriptions?externalKey=" + key).orElseThrow();
    }

    private JsonNode reread(JsonNode subscription) {
        return client.find("/1.0/kb/subscriptions/" + subscription.path("subscriptionId").asText()).orElseThrow();
    }

    private List<JsonNode> invoicesOf(String account) {
        JsonNode invoices = client.find("/1.0/kb/accounts/" + accounts.find(account).orElseThrow().accountId()
                + "/invoices?withItems=true").orElseThrow();
        return StreamSupport.stream(invoices.spliterator(), false).toList();
    }

    private List<JsonNode> itemsOf(String account, String subscriptionId) {
        return invoicesOf(account).stream().flatMap(i -> items(i).stream())
                .filter(item -> subscriptionId.equals(item.path("subscriptionId").asText())).toList();
    }

    private static List<JsonNode> items(JsonNode invoice) {
        return StreamSupport.stream(invoice.path("items").spliterator(), false).toList();
    }
}
