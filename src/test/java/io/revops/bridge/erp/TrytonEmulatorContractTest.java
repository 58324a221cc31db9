package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.TransientFailureException;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;
import io.revops.bridge.testing.FreePorts;

/**
 * Every ERP contract against the Tryton emulator (the same contracts run against the real Tryton in
 * {@link TrytonConformanceIT}), plus what only the emulator can stage: outages and a credit hold.
 */
class TrytonEmulatorContractTest {
    private static final TrytonEmulator EMULATOR = new TrytonEmulator(FreePorts.any(), "tryton");

    @BeforeAll
    static void start() {
        EMULATOR.start();
    }

    @AfterAll
    static void stop() {
        EMULATOR.close();
    }

    @Nested
    class Customers extends ErpCustomersContract {
        @Override
        protected String url() {
            return EMULATOR.baseUrl();
        }

        @Test
        void anUnavailableErpIsATransientFailure() {
            customers.find("001WARMUP"); // log in first: logins are spared by fault injection
            EMULATOR.failNextCalls(1, 503);
            assertThatThrownBy(() -> customers.upsert(Map.of("key", "001X", "name", "Acme")))
                    .isInstanceOf(TransientFailureException.class).hasMessageContaining("503");
            assertThat(customers.upsert(Map.of("key", "001X", "name", "Acme")).created()).isTrue();
        }
    }

    @Nested
    class Sales extends ErpSalesContract {
        @Override
        protected String url() {
            return EMULATOR.baseUrl();
        }

        @Test
        void anUnavailableErpIsATransientFailureAndTheRetryPlacesOneSale() {
            String key = customer();
            String reference = reference();
            EMULATOR.failNextCalls(1, 503);

            assertThatThrownBy(() -> sales.place(order(reference, key))).isInstanceOf(TransientFailureException.class);

            assertThat(sales.place(order(reference, key)).accepted()).isTrue();
            assertThat(EMULATOR.sales()).filteredOn(sale -> reference.equals(sale.get("reference"))).hasSize(1);
        }

        @Test
        void aCustomerOnCreditHoldIsACreditHoldRejection() {
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

    @Nested
    class Invoices extends ErpInvoicesContract {
        @Override
        protected String url() {
            return EMULATOR.baseUrl();
        }
    }

    @Nested
    class RevenueDeferral extends ErpRevenueDeferralContract {
        @Override
        protected String url() {
            return EMULATOR.baseUrl();
        }
    }

    @Nested
    class ContractChanges extends ErpContractChangesContract {
        @Override
        protected String url() {
            return EMULATOR.baseUrl();
        }
    }

    @Nested
    class Credits extends ErpCreditsContract {
        @Override
        protected String url() {
            return EMULATOR.baseUrl();
        }
    }
}
