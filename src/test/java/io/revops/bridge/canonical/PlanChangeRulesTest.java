package io.revops.bridge.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.revops.bridge.policy.BusinessException;

/** A change of plan keeps the seats: quantityDelta 0 is its only quantity, and only its (schema and business rules). */
class PlanChangeRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPlanChangeOfTheSameSeatsIsValid() {
        ObjectNode change = change("CHANGE_PLAN", 0);

        assertThat(CanonicalSchemas.violations("contract-change", change)).isEmpty();
        BusinessRules.check("contract-change", "revops.contract-change.requested.v1", change);
    }

    @Test
    void aPlanChangeThatAlsoChangesTheSeatsIsRefused() {
        ObjectNode change = change("CHANGE_PLAN", 2);

        assertThat(CanonicalSchemas.violations("contract-change", change)).isNotEmpty();
        assertThatThrownBy(() -> BusinessRules.check("contract-change", "revops.contract-change.requested.v1", change))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid-change"))
                .hasMessageContaining("a change of plan keeps the seats");
    }

    @Test
    void aPlanChangeWithoutTheProductItLeavesIsInvalid() {
        ObjectNode change = change("CHANGE_PLAN", 0);
        ((ObjectNode) change.get("lines").get(0)).remove("originalProductCode");

        assertThat(CanonicalSchemas.violations("contract-change", change)).isNotEmpty();
    }

    @Test
    void aChangeOfQuantityByZeroIsStillRefused() {
        ObjectNode change = change("CHANGE_QUANTITY", 0);

        assertThat(CanonicalSchemas.violations("contract-change", change)).isNotEmpty();
        assertThatThrownBy(() -> BusinessRules.check("contract-change", "revops.contract-change.requested.v1", change))
                .isInstanceOfSatisfying(BusinessException.class, e -> assertThat(e.reasonCode()).isEqualTo("invalid-quantity"));
    }

    private static ObjectNode change(String action, int quantityDelta) {
        ObjectNode change = JSON.createObjectNode().put("changeId", "00000105").put("orderNumber", "00000101")
                .put("accountId", "001000000000001AAA").put("kind", "AMENDMENT").put("status", "REQUESTED")
                .put("effectiveDate", "2026-12-15").put("currency", "USD");
        ObjectNode line = change.putArray("lines").addObject().put("lineId", "00000107").put("originalLineId", "00000102")
                .put("action", action).put("productCode", "PREMIUM").put("originalProductCode", "STANDARD")
                .put("quantityDelta", quantityDelta).put("chargeType", "RECURRING").put("billingPeriod", "MONTHLY");
        line.putObject("unitPrice").put("amount", 25).put("currency", "USD");
        if (!"CHANGE_PLAN".equals(action)) {
            line.remove("originalProductCode");
        }
        return change;
    }
}
