package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.sandbox.tryton.TrytonEmulator;

/** The sales contract against the emulator, plus what only the emulator can stage (a credit hold). */
class TrytonEmulatorSalesContractTest extends ErpSalesContract {
    private static final TrytonEmulator EMULATOR = new TrytonEmulator(28101, "tryton");

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

    @Override
    protected String database() {
        return "tryton";
    }

    @Test
    void aCustomerOnCreditHoldIsARejectionTheRetryCanComplete() {
        String key = customer();
        String reference = reference();
        EMULATOR.holdCredit(key);

        ErpSale held = sales.place(order(reference, key));

        assertThat(held.accepted()).isFalse();
        assertThat(held.rejectionCategory()).isEqualTo("credit-hold");
        assertThat(held.rejectionReason()).startsWith("Party \"Acme " + key + "\" has reached their credit limit");
        assertThat(held.state()).isEqualTo("quotation");
        assertThat(held.number()).isNotBlank();
        assertThat(held.created()).isTrue();
        Map<String, Object> sale = EMULATOR.sales().stream().filter(s -> reference.equals(s.get("reference")))
                .findFirst().orElseThrow();
        assertThat(sale).containsEntry("state", "quotation").containsEntry("number", held.number());
        assertThat((List<?>) sale.get("lines")).hasSize(3);
    }
}
