package io.revops.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.PrerequisiteMissingException;

/**
 * Contract changes booked through the ERP adapter, read back from Tryton over JSON-RPC. Runs against the emulator
 * (default tier) and the real Tryton 6.0 (conformance tier); every test makes its own keys.
 */
abstract class ErpContractChangesContract extends TrytonContract {
    private ErpSales sales;
    private ErpCustomers customers;
    private ErpContractChanges changes;

    @BeforeEach
    void connect() {
        sales = new ErpSales(tryton);
        customers = new ErpCustomers(tryton);
        changes = new ErpContractChanges(tryton, sales);
    }

    @Test
    void aChangeOfAnAcceptedOrderIsBookedOnceAsASaleOfItsOwnNamingTheOriginalSale() {
        String key = customer();
        String order = ErpSalesContract.reference();
        ErpSale original = sales.place(ErpSalesContract.order(order, key));
        String change = ErpSalesContract.reference();

        ErpContractChange booked = changes.book(change(change, order, key));
        ErpContractChange again = changes.book(change(change, order, key));

        assertThat(booked.sale().accepted()).as("%s", booked).isTrue();
        assertThat(booked.sale().created()).isTrue();
        assertThat(booked.originalSaleNumber()).isEqualTo(original.number());
        assertThat(again.sale().saleId()).isEqualTo(booked.sale().saleId());
        assertThat(again.sale().created()).isFalse();
        assertThat(tryton.call("model.sale.sale.search", List.of(List.of("reference", "=", change)), 0, null, null))
                .hasSize(1);
        JsonNode sale = tryton.call("model.sale.sale.read", List.of(booked.sale().saleId()),
                List.of("reference", "description", "state", "party", "lines")).get(0);
        assertThat(sale.path("description").asText()).isEqualTo("Amendment " + change + " of sale " + original.number()
                + " (order " + order + "), effective 2026-12-15");
        assertThat(sale.path("state").asText()).isIn("confirmed", "processing");
        assertThat(sale.path("party").asInt()).isEqualTo(customers.find(key).orElseThrow().partyId());
        assertThat(sale.path("lines")).hasSize(2);
    }

    @Test
    void aChangeOfAnOrderWithoutAnAcceptedSaleWaitsAndNothingIsBooked() {
        String key = customer();
        String order = ErpSalesContract.reference();
        String change = ErpSalesContract.reference();

        assertThatThrownBy(() -> changes.book(change(change, order, key)))
                .isInstanceOfSatisfying(PrerequisiteMissingException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo("order-not-accepted-in-erp"))
                .hasMessageContaining(change).hasMessageContaining(order).hasMessageContaining("(no sale)");
        assertThat(tryton.call("model.sale.sale.search", List.of(List.of("reference", "=", change)), 0, null, null))
                .isEmpty();
    }

    @Test
    void aChangeNamingAnotherCustomersOrderIsRefusedAndNothingIsBooked() {
        String order = ErpSalesContract.reference();
        sales.place(ErpSalesContract.order(order, customer()));
        String someoneElse = customer();
        String change = ErpSalesContract.reference();

        assertThatThrownBy(() -> changes.book(change(change, order, someoneElse)))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid-change"))
                .hasMessageContaining("account " + someoneElse).hasMessageContaining("another customer's");
        assertThat(tryton.call("model.sale.sale.search", List.of(List.of("reference", "=", change)), 0, null, null))
                .isEmpty();
    }

    @Test
    void aCancellationIsAReturnSaleTitledCancellationAndARenewalASaleOfCommentsOnlyEachBookedOnce() {
        String key = customer();
        String order = ErpSalesContract.reference();
        ErpSale original = sales.place(ErpSalesContract.order(order, key));
        String renewal = ErpSalesContract.reference();
        String cancellation = ErpSalesContract.reference();
        Map<String, Object> renewed = change(renewal, order, key);
        renewed.put("title", "Renewal");
        renewed.put("lines", List.of());
        renewed.put("comments", List.of("Contract renewed for 12 months from 2026-12-15: every recurring seat of order "
                + order + " continues, billed by billing"));
        Map<String, Object> cancelled = change(cancellation, order, key);
        cancelled.put("title", "Cancellation");
        cancelled.put("lines", List.of(ErpSalesContract.line("ONB-001", "-1", "200.00", "Onboarding")));

        ErpContractChange renewalBooked = changes.book(renewed);
        ErpContractChange cancellationBooked = changes.book(cancelled);
        changes.book(renewed);
        changes.book(cancelled);

        for (ErpContractChange booked : List.of(renewalBooked, cancellationBooked)) {
            assertThat(booked.sale().accepted()).as("%s", booked).isTrue();
            assertThat(tryton.call("model.sale.sale.search", List.of(List.of("reference", "=", booked.sale().reference())),
                    0, null, null)).hasSize(1);
        }
        JsonNode renewalSale = tryton.call("model.sale.sale.read", List.of(renewalBooked.sale().saleId()),
                List.of("description", "lines")).get(0);
        assertThat(renewalSale.path("description").asText()).isEqualTo("Renewal " + renewal + " of sale " + original.number()
                + " (order " + order + "), effective 2026-12-15");
        assertThat(renewalSale.path("lines")).hasSize(1);
        JsonNode cancellationSale = tryton.call("model.sale.sale.read", List.of(cancellationBooked.sale().saleId()),
                List.of("description", "lines")).get(0);
        assertThat(cancellationSale.path("description").asText()).startsWith("Cancellation " + cancellation + " of sale "
                + original.number());
        assertThat(cancellationSale.path("lines")).hasSize(2);
    }

    private String customer() {
        String key = "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
        customers.upsert(Map.of("key", key, "name", "Amending " + key, "address", Map.of("street", "1 Main St",
                "city", "Springfield")));
        return key;
    }

    /** As erp/contract-change-to-sale maps an amendment: one-time products added as lines, seats as a comment. */
    private static Map<String, Object> change(String change, String order, String key) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("reference", change);
        values.put("originalReference", order);
        values.put("customerKey", key);
        values.put("currency", "USD");
        values.put("effectiveDate", "2026-12-15");
        values.put("lines", List.of(ErpSalesContract.line("ONB-001", "1", "200.00", "Onboarding of the new team")));
        values.put("comments", List.of("Recurring, billed by billing: line 00000102 Standard subscription +3"));
        return values;
    }
}
