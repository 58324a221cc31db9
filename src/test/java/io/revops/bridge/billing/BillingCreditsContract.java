package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.TransientFailureException;

/**
 * Credits (invoice item adjustments) and refunds applied through the billing adapter, read back from Kill Bill.
 * Runs against the emulator (default tier) and the real Kill Bill 0.22.26 (conformance tier).
 */
abstract class BillingCreditsContract extends KillBillContract {
    private static final Duration INVOICING = Duration.ofSeconds(30);

    private BillingFeed feed;
    private BillingSubscriptions subscriptions;
    private BillingPayments payments;
    private BillingCredits credits;

    @BeforeEach
    void adapters() {
        feed = new BillingFeed(client);
        subscriptions = new BillingSubscriptions(client, SeatClaims.inMemory());
        payments = new BillingPayments(client);
        credits = new BillingCredits(client);
    }

    @Test
    void aCreditIsOneItemAdjustmentThatLowersThatInvoicesBalanceOnce() {
        Map<String, Object> invoice = newInvoice("standard-annual");
        String number = "KB-" + invoice.get("invoiceNumber");
        String changeId = changeId();

        AppliedCredit applied = credits.credit(credit(changeId, number, "40.00"));
        AppliedCredit again = credits.credit(credit(changeId, number, "40.00"));

        assertThat(applied.appliedNow()).isTrue();
        assertThat(applied.after()).isEqualByComparingTo("60.00");
        assertThat(again.appliedNow()).isFalse();
        assertThat(again.invoiceId()).isEqualTo(invoice.get("invoiceId"));
        JsonNode read = client.find("/1.0/kb/invoices/" + invoice.get("invoiceId") + "?withItems=true").orElseThrow();
        assertThat(read.path("balance").decimalValue()).isEqualByComparingTo("60.00");
        assertThat(read.path("amount").decimalValue()).isEqualByComparingTo("60.00");
        List<JsonNode> adjustments = StreamSupport.stream(read.path("items").spliterator(), false)
                .filter(i -> i.path("itemType").asText().equals("ITEM_ADJ")).toList();
        assertThat(adjustments).hasSize(1);
        assertThat(adjustments.get(0).path("amount").decimalValue()).isEqualByComparingTo("-40.00");
        assertThat(adjustments.get(0).path("description").asText()).isEqualTo("credit " + changeId + ": goodwill");
        assertThat(adjustments.get(0).path("linkedInvoiceItemId").asText()).isNotBlank();
    }

    @Test
    void aCreditOfMoreThanTheInvoiceOrOfAnUnknownInvoiceIsABillingChangeFailureNamingTheCreditNote() {
        Map<String, Object> invoice = newInvoice("standard-monthly");
        String number = "KB-" + invoice.get("invoiceNumber");

        assertThatThrownBy(() -> credits.credit(credit(changeId(), number, "12.00")))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("billing-change-failed"))
                .hasMessageContaining("12.00").hasMessageContaining(number).hasMessageContaining("ERP credit note 77");
        assertThatThrownBy(() -> credits.credit(credit(changeId(), "KB-" + Long.MAX_VALUE / 2, "1.00")))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("billing-change-failed"))
                .hasMessageContaining("billing has no invoice");
        assertThat(client.find("/1.0/kb/invoices/" + invoice.get("invoiceId")).orElseThrow().path("balance").decimalValue())
                .isEqualByComparingTo("10.00");
    }

    @Test
    void aLongReasonIsCutToWhatKillBillStoresAndOurKeyStaysInFront() {
        Map<String, Object> invoice = newInvoice("standard-monthly");
        String number = "KB-" + invoice.get("invoiceNumber");
        String changeId = changeId();
        Map<String, Object> credit = new HashMap<>(credit(changeId, number, "1.00"));
        credit.put("reason", "r".repeat(300));

        credits.credit(credit);
        AppliedCredit again = credits.credit(credit);

        assertThat(again.appliedNow()).isFalse();
        JsonNode read = client.find("/1.0/kb/invoices/" + invoice.get("invoiceId") + "?withItems=true").orElseThrow();
        assertThat(StreamSupport.stream(read.path("items").spliterator(), false)
                .filter(i -> i.path("itemType").asText().equals("ITEM_ADJ")).toList()).singleElement()
                .satisfies(i -> assertThat(i.path("description").asText()).hasSize(255).startsWith("credit " + changeId + ": rrr"));
        assertThatThrownBy(() -> client.post("/1.0/kb/invoices/" + invoice.get("invoiceId"), Map.of(
                "accountId", read.path("accountId").asText(), "invoiceItemId", read.path("items").get(0).path("invoiceItemId").asText(),
                "amount", "1.00", "currency", "USD", "description", "d".repeat(256))))
                .as("Kill Bill fails a longer description as a server error").isInstanceOf(TransientFailureException.class);
    }

    @Test
    void aRefundIsOneTransactionOnOurKeyAndNeverMoreThanWasPaid() {
        Map<String, Object> invoice = newInvoice("standard-monthly");
        String paymentId = payments.recordExternalPayment((String) invoice.get("invoiceId"), new BigDecimal("10.00"));
        String changeId = changeId();

        AppliedCredit refunded = credits.refund(refund(changeId, paymentId, "4.00"));
        AppliedCredit again = credits.refund(refund(changeId, paymentId, "4.00"));

        assertThat(refunded.appliedNow()).isTrue();
        assertThat(refunded.after()).isEqualByComparingTo("4.00");
        assertThat(again.appliedNow()).isFalse();
        JsonNode payment = client.find("/1.0/kb/payments/" + paymentId).orElseThrow();
        assertThat(payment.path("refundedAmount").decimalValue()).isEqualByComparingTo("4.00");
        assertThat(StreamSupport.stream(payment.path("transactions").spliterator(), false)
                .filter(t -> t.path("transactionType").asText().equals("REFUND")).toList()).singleElement()
                .satisfies(t -> assertThat(t.path("transactionExternalKey").asText()).isEqualTo(changeId))
                .satisfies(t -> assertThat(t.path("status").asText()).isEqualTo("SUCCESS"));

        // Kill Bill itself would refund an external payment beyond what was paid: the adapter refuses
        assertThatThrownBy(() -> credits.refund(refund(changeId(), paymentId, "6.01")))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("billing-change-failed"))
                .hasMessageContaining("6.01").hasMessageContaining("6.00 left to refund");
        assertThatThrownBy(() -> credits.refund(refund(changeId(), UUID.randomUUID().toString(), "1.00")))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("billing-change-failed"))
                .hasMessageContaining("billing has no payment");
        assertThat(client.find("/1.0/kb/payments/" + paymentId).orElseThrow().path("refundedAmount").decimalValue())
                .isEqualByComparingTo("4.00");
    }

    @Test
    void killBillRefusesASecondSuccessfulTransactionWithTheSameKey() {
        Map<String, Object> invoice = newInvoice("standard-monthly");
        String paymentId = payments.recordExternalPayment((String) invoice.get("invoiceId"), new BigDecimal("10.00"));
        String key = changeId();
        client.post("/1.0/kb/payments/" + paymentId + "/refunds", Map.of("amount", "1.00", "currency", "USD",
                "transactionExternalKey", key));

        assertThatThrownBy(() -> client.post("/1.0/kb/payments/" + paymentId + "/refunds", Map.of("amount", "1.00",
                "currency", "USD", "transactionExternalKey", key)))
                .isInstanceOf(BusinessException.class)
                .hasMessageContaining("Successful transaction with external key " + key + " already exists");
    }

    private static String changeId() {
        return "CR-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static Map<String, Object> credit(String changeId, String invoiceNumber, String amount) {
        return Map.of("changeId", changeId, "invoiceNumber", invoiceNumber, "amount", amount, "currency", "USD",
                "reason", "goodwill", "erpCreditNote", "77");
    }

    private static Map<String, Object> refund(String changeId, String paymentId, String amount) {
        return Map.of("changeId", changeId, "paymentId", paymentId, "amount", amount, "currency", "USD");
    }

    /** A new account's first invoice, of one subscription on the plan. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> newInvoice(String planName) {
        long from = end();
        String order = orderNumber();
        String subscriptionKey = order + "-1-1";
        subscriptions.activate(Map.of("accountKey", billingAccount(), "orderNumber", order,
                "subscriptions", List.of(Map.of("externalKey", subscriptionKey, "planName", planName))));
        AtomicReference<Map<String, Object>> found = new AtomicReference<>();
        await().atMost(INVOICING).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (BillingPage page = feed.invoicesAfter(from, 50); !page.items().isEmpty();
                    page = feed.invoicesAfter(page.nextPosition(), 50)) {
                page.items().stream().filter(i -> ((List<Map<String, Object>>) i.get("items")).stream()
                        .anyMatch(item -> subscriptionKey.equals(item.get("subscriptionExternalKey"))))
                        .findFirst().ifPresent(found::set);
            }
            return found.get() != null;
        });
        return found.get();
    }

    private long end() {
        long count = 0;
        for (JsonNode page = client.find("/1.0/kb/invoices/pagination?offset=0&limit=1000").orElseThrow(); page.size() > 0;
                page = client.find("/1.0/kb/invoices/pagination?offset=" + count + "&limit=1000").orElseThrow()) {
            count += page.size();
        }
        return count;
    }
}
