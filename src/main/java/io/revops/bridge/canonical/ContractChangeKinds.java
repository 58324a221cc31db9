package io.revops.bridge.canonical;

import java.io.IOException;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which routes a contract change is for: credits and refunds have routes of their own (erp-credit-acceptance,
 * billing-credit, salesforce-credit-writeback), every other kind goes through the amendment routes. Route filters
 * ask it as {@code ${bean:contractChangeKinds.moneyBack}} about the consumed event's JSON body.
 */
@ApplicationScoped
@Named("contractChangeKinds")
public class ContractChangeKinds {
    private static final Set<String> MONEY_BACK = Set.of("CREDIT", "REFUND");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether the change (canonical Contract change v1 as JSON) is a credit or a refund. */
    public boolean moneyBack(String change) throws IOException {
        return MONEY_BACK.contains(JSON.readTree(change).path("kind").asText());
    }
}
