package io.revops.bridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.TransientFailureException;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.testing.FreePorts;
import io.revops.bridge.sandbox.killbill.KillBillEmulator.InvoiceSummary;

/**
 * Every billing contract against the Kill Bill emulator (the same contracts run against the real Kill Bill in
 * {@link KillBillConformanceIT}), plus what only the emulator can stage or show: outages, another tenant's catalog,
 * its own view of invoices and payments.
 */
class KillBillEmulatorContractTest {
    private static final KillBillEmulator EMULATOR = new KillBillEmulator(FreePorts.any());

    @BeforeAll
    static void start() {
        EMULATOR.start();
    }

    @AfterAll
    static void stop() {
        EMULATOR.close();
    }

    @Nested
    class Accounts extends BillingAccountsContract {
        @Override
        protected String baseUrl() {
            return EMULATOR.baseUrl();
        }

        @Test
        void anOverloadedBillingSystemIsATransientFailure() {
            EMULATOR.failNextCalls(1, 503);
            assertThatThrownBy(() -> accounts.upsert(Map.of("externalKey", "001X", "name", "Acme")))
                    .isInstanceOf(TransientFailureException.class).hasMessageContaining("503");
            assertThat(accounts.upsert(Map.of("externalKey", "001X", "name", "Acme")).created()).isTrue();
        }
    }

    @Nested
    class Clock extends KillBillClockContract {
        @Override
        protected String baseUrl() {
            return EMULATOR.baseUrl();
        }
    }

    @Nested
    class Subscriptions extends BillingSubscriptionsContract {
        @Override
        protected String baseUrl() {
            return EMULATOR.baseUrl();
        }

        @Test
        void anOutageAfterPartOfTheOrderIsActivePropagatesAsTransientAndARetryFinishesIt() {
            String account = billingAccount();
            String order = orderNumber();
            subscriptions.activate(request(account, order, line(order + "-1-1", "standard-monthly")));
            var request = request(account, order, line(order + "-1-1", "standard-monthly"), line(order + "-2-1", "premium-monthly"));
            EMULATOR.failNextCalls("POST /1.0/kb/subscriptions", 1, 503);

            assertThatThrownBy(() -> subscriptions.activate(request)).isInstanceOf(TransientFailureException.class)
                    .hasMessageContaining("503");

            assertThat(subscriptions.activate(request)).extracting(BillingSubscription::created).containsExactly(false, true);
            assertThat(EMULATOR.subscriptions()).filteredOn(s -> s.get("externalKey").toString().startsWith(order))
                    .extracting(s -> s.get("planName")).containsExactlyInAnyOrder("standard-monthly", "premium-monthly");
        }
    }

    @Nested
    class Feed extends BillingFeedContract {
        @Override
        protected String baseUrl() {
            return EMULATOR.baseUrl();
        }

        @Test
        void billsFromTheTenantsUploadedCatalog() {
            String apiKey = "revops-catalog-" + UUID.randomUUID();
            new KillBillClient(baseUrl(), "admin", "password", "x", "x", Duration.ofSeconds(5))
                    .post("/1.0/kb/tenants", Map.of("apiKey", apiKey, "apiSecret", "secret"));
            KillBillClient tenant = new KillBillClient(baseUrl(), "admin", "password", apiKey, "secret", Duration.ofSeconds(5));
            tenant.postXml("/1.0/kb/catalog/xml", """
                    <catalog>
                      <effectiveDate>2024-01-01T00:00:00+00:00</effectiveDate><catalogName>other</catalogName>
                      <recurringBillingMode>IN_ADVANCE</recurringBillingMode><currencies><currency>EUR</currency></currencies>
                      <products><product name="Gold"><category>BASE</category></product></products>
                      <plans><plan name="gold-quarterly"><product>Gold</product><finalPhase type="EVERGREEN">
                        <duration><unit>UNLIMITED</unit></duration>
                        <recurring><billingPeriod>QUARTERLY</billingPeriod>
                          <recurringPrice><price><currency>EUR</currency><value>30.50</value></price></recurringPrice></recurring>
                      </finalPhase></plan></plans>
                      <priceLists><defaultPriceList name="DEFAULT"><plans><plan>gold-quarterly</plan></plans></defaultPriceList></priceLists>
                    </catalog>""");
            String account = key();
            new BillingAccounts(tenant).upsert(Map.of("externalKey", account, "name", "Gold customer", "currency", "EUR"));
            BillingSubscriptions goldSubscriptions = new BillingSubscriptions(tenant, SeatClaims.inMemory());

            goldSubscriptions.activate(Map.of("accountKey", account, "orderNumber", "G1",
                    "subscriptions", List.of(Map.of("externalKey", account + "-G1-1", "planName", "gold-quarterly"))));

            Map<String, Object> invoice = new BillingFeed(tenant).invoicesAfter(0, 10).items().get(0);
            assertThat(invoice).containsEntry("currency", "EUR").containsEntry("amount", new BigDecimal("30.50"));
            @SuppressWarnings("unchecked")
            Map<String, Object> item = ((List<Map<String, Object>>) invoice.get("items")).get(0);
            LocalDate start = LocalDate.parse((String) item.get("startDate"));
            assertThat(item).containsEntry("endDate", start.plusMonths(3).toString())
                    .containsEntry("catalogEffectiveDate", "2024-01-01T00:00:00.000Z");
            assertThatThrownBy(() -> goldSubscriptions.activate(Map.of("accountKey", account, "orderNumber", "G2",
                    "subscriptions", List.of(Map.of("externalKey", account + "-G2-1", "planName", "standard-monthly")))))
                    .isInstanceOf(BusinessException.class).hasMessageContaining("Could not find any plans named 'standard-monthly'");
        }

        @Test
        void testsSeeInvoicesAndPaymentsThroughTheEmulator() {
            String account = billingAccount();
            String order = orderNumber();
            subscriptions.activate(Map.of("accountKey", account, "orderNumber", order,
                    "subscriptions", List.of(Map.of("externalKey", order + "-1-1", "planName", "premium-monthly"))));
            InvoiceSummary invoice = EMULATOR.invoices().stream().filter(i -> i.accountExternalKey().equals(account))
                    .findFirst().orElseThrow();
            assertThat(invoice.amount()).isEqualByComparingTo("25.00");

            String paymentId = payments.recordExternalPayment(invoice.invoiceId(), new BigDecimal("20.00"));

            assertThat(EMULATOR.invoices()).filteredOn(i -> i.invoiceId().equals(invoice.invoiceId())).singleElement()
                    .satisfies(i -> assertThat(i.balance()).isEqualByComparingTo("5.00"));
            assertThat(EMULATOR.payments()).filteredOn(p -> p.get("paymentId").equals(paymentId)).singleElement()
                    .satisfies(p -> assertThat(p).containsEntry("targetInvoiceId", invoice.invoiceId()));
            assertThatThrownBy(() -> payments.recordExternalPayment(invoice.invoiceId(), new BigDecimal("5.01")))
                    .isInstanceOf(BusinessException.class).hasMessageContaining("invoice balance is = '5.00'");
        }
    }

    @Nested
    class Credits extends BillingCreditsContract {
        @Override
        protected String baseUrl() {
            return EMULATOR.baseUrl();
        }
    }
}
