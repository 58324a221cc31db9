package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.revops.bridge.sandbox.tryton.TrytonEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator.LateTransaction;
import io.revops.bridge.testing.FreePorts;

/**
 * The poller's view of the ERP invoice feed: a payment applied in a transaction that started before a later change
 * the poller has read (staged in the emulator: Tryton stamps write_date when the transaction starts) lands behind
 * the position; the overlap window publishes it once, and nothing already published again.
 */
class ErpInvoiceFeedOverlapTest extends TrytonContract {
    private static final TrytonEmulator EMULATOR = new TrytonEmulator(FreePorts.any(), "tryton");

    private ErpInvoices invoices;
    private ErpCustomers customers;

    @BeforeAll
    static void start() {
        EMULATOR.start();
    }

    @AfterAll
    static void stop() {
        EMULATOR.close();
    }

    @Override
    protected String url() {
        return EMULATOR.baseUrl();
    }

    @BeforeEach
    void adapters() {
        invoices = new ErpInvoices(tryton);
        customers = new ErpCustomers(tryton);
    }

    @Test
    void aPaymentCommittedBehindThePositionIsPublishedOnceByTheNextPoll() {
        Poll poll = new Poll(new ErpInvoiceFeedOverlap(invoices, Duration.ofMinutes(5)));
        poll.drain();
        String key = customer();
        String paidLate = post(key);
        assertThat(poll.references()).containsExactly(paidLate);

        LateTransaction slow = EMULATOR.beginLateTransaction();
        String onTime = post(key);
        assertThat(poll.references()).containsExactly(onTime);
        String before = poll.position;
        slow.commit(() -> invoices.applyPayment(payment(paidLate, "4.00")));
        assertThat(invoices.changedSince(before, 100).invoices()).as("the gap: the change is behind the position").isEmpty();

        List<Map<String, Object>> late = poll.changes();

        assertThat(late).singleElement().satisfies(change -> assertThat(change)
                .containsEntry("reference", paidLate).containsEntry("amountToPay", "6.00"));
        assertThat(poll.position).as("the position does not go back").isEqualTo(before);
        assertThat(poll.changes()).isEmpty();
    }

    @Test
    void aChangeOlderThanTheWindowIsNotReadAgain() {
        Poll poll = new Poll(new ErpInvoiceFeedOverlap(invoices, Duration.ZERO));
        poll.drain();
        String key = customer();
        String paidLate = post(key);
        poll.drain();
        LateTransaction slow = EMULATOR.beginLateTransaction();
        post(key);
        poll.drain();

        slow.commit(() -> invoices.applyPayment(payment(paidLate, "4.00")));

        assertThat(poll.changes()).isEmpty();
    }

    /** One poller with its checkpoint, as the route keeps it. */
    private static final class Poll {
        private final ErpInvoiceFeedOverlap poller;
        private String position;

        Poll(ErpInvoiceFeedOverlap poller) {
            this.poller = poller;
        }

        List<Map<String, Object>> changes() {
            ErpInvoiceChanges page = poller.changedSince(position, 100);
            poller.published(page);
            position = page.nextPosition();
            return page.invoices();
        }

        List<Object> references() {
            return changes().stream().map(change -> change.get("reference")).toList();
        }

        void drain() {
            while (!changes().isEmpty()) {
                // everything so far is published
            }
        }
    }

    private String customer() {
        String key = "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
        customers.upsert(Map.of("key", key, "name", "Acme " + key));
        return key;
    }

    private String post(String key) {
        String reference = "KB-" + UUID.randomUUID();
        invoices.post(Map.of("reference", reference, "customerKey", key, "currency", "USD",
                "invoiceDate", LocalDate.now().toString(), "lines", List.of(Map.of("product", "SVC-001",
                        "description", "standard-monthly", "quantity", "1", "unitPrice", "10.00"))));
        return reference;
    }

    private static Map<String, Object> payment(String reference, String amount) {
        return Map.of("invoiceReference", reference, "paymentId", UUID.randomUUID().toString(), "amount", amount,
                "currency", "USD", "date", LocalDate.now().toString());
    }
}
