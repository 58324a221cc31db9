package io.revops.bridge.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.mapping.Json;

class CanonicalModelTest {
    private final Json json = new Json();

    @Test
    void everyCanonicalRecordValidatesAgainstItsSchema() {
        Money price = Money.of("99.90", "USD");
        SystemIds ids = new SystemIds("801000000000001AAA", "17", null);
        assertValid("account", new Account("001000000000001AAA", "Acme", "Retail", null, null, null,
                new Address("1 Main St", "Springfield", "12345", null, "US"), "USD", "C-1", Money.of("5000", "USD"),
                "NET30", null, false, ids, null));
        assertValid("order", new Order("00000101", "001000000000001AAA", Order.Status.ACTIVATED, LocalDate.of(2026, 11, 1),
                Instant.parse("2026-11-22T10:15:30Z"), "USD", Money.of("1299.80", "USD"), List.of(
                        new OrderLine("1", "SETUP", "Onboarding", BigDecimal.ONE, Money.of("100.00", "USD"),
                                OrderLine.ChargeType.ONE_TIME, null, null),
                        new OrderLine("2", "STD-M", "Standard", BigDecimal.TEN, price, OrderLine.ChargeType.RECURRING,
                                "MONTHLY", 12)),
                null, ids));
        assertValid("invoice", new Invoice("INV-1", "billing", "001000000000001AAA", "00000101", LocalDate.of(2026, 11, 22),
                LocalDate.of(2026, 12, 22), Invoice.Status.POSTED,
                List.of(new InvoiceLine("Standard", "STD-M", BigDecimal.TEN, Money.of("999.00", "USD"),
                        new ServicePeriod(LocalDate.of(2026, 11, 22), LocalDate.of(2026, 12, 22)))),
                Money.of("999.00", "USD"), Money.of("999.00", "USD"), ids));
        assertValid("payment", new Payment("PAY-1", "001000000000001AAA", "INV-1", Money.of("500.00", "USD"),
                Instant.parse("2026-11-22T10:15:30Z"), "card", Payment.Status.SUCCEEDED, ids));
    }

    @Test
    void schemaRejectsWhatTheModelForbids() {
        JsonNode recurringWithoutPeriod = json.mapper().valueToTree(new Order("1", "001000000000001AAA",
                Order.Status.ACTIVATED, null, null, "USD", null, List.of(new OrderLine("1", "STD", null, BigDecimal.ONE,
                        Money.of("1", "USD"), OrderLine.ChargeType.RECURRING, null, null)), null, null));
        assertThat(CanonicalSchemas.violations("order", recurringWithoutPeriod)).isNotEmpty();

        JsonNode lowercaseCurrency = json.mapper().createObjectNode().put("accountId", "001000000000001AAA")
                .put("deleted", false).put("currency", "usd");
        assertThat(CanonicalSchemas.violations("account", lowercaseCurrency)).isNotEmpty();
    }

    @Test
    void moneyKeepsDecimalPrecisionAndRefusesBadCurrencies() {
        JsonNode node = json.mapper().valueToTree(Money.of("0.10", "EUR"));
        assertThat(node.get("amount").decimalValue()).isEqualByComparingTo("0.10");
        assertThatThrownBy(() -> Money.of("1", "euro")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cloudEventTravelsAsBinaryModeHeaders() {
        CloudEvent event = new CloudEvent("e-1", "revops.account.created.v1", "/salesforce/data/AccountChangeEvent",
                "001000000000001AAA", Instant.parse("2026-11-22T10:15:30Z"), "tx-1", null, java.util.Map.of());
        assertThat(event.toKafkaHeaders()).containsEntry("ce_specversion", "1.0").containsEntry("ce_id", "e-1")
                .containsEntry("ce_time", "2026-11-22T10:15:30Z").containsEntry("ce_correlationid", "tx-1")
                .doesNotContainKey("ce_causationid");
        assertThat(CloudEvent.systemOf(event.source())).isEqualTo("salesforce");
    }

    private void assertValid(String object, Object record) {
        JsonNode node = json.mapper().valueToTree(record);
        assertThat(CanonicalSchemas.violations(object, node)).as(object + " " + node).isEmpty();
    }
}
