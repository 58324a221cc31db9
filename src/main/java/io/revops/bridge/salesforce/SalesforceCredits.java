package io.revops.bridge.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.revops.bridge.policy.BusinessException;

/**
 * Content enricher of the credit inbound route: a change event says that a Credit__c was approved, not what it
 * credits, so the record and its invoice (number and order) are read from Salesforce (REST query).
 */
@ApplicationScoped
@Named("salesforceCredits")
public class SalesforceCredits {
    static final String CREDIT_FIELDS = "Id, Name, Type__c, Status__c, Account__c, Amount__c, CurrencyIsoCode, Reason__c, "
            + "Payment_Id__c, Invoice__c, Invoice__r.Invoice_Number__c, Invoice__r.Order_Number__c";

    private final SalesforceRecords records;

    @Inject
    public SalesforceCredits(SalesforceRecords records) {
        this.records = records;
    }

    /** @param approval {creditId, ...} from the approval mapping; returns it with "credit" added */
    public Map<String, Object> read(Map<String, Object> approval) {
        String creditId = String.valueOf(approval.get("creditId"));
        if (!creditId.matches("[a-zA-Z0-9]{15,18}")) {
            throw new BusinessException("invalid-event", "not a Salesforce id: " + creditId);
        }
        List<Map<String, Object>> credits = records.query("SELECT " + CREDIT_FIELDS + " FROM Credit__c WHERE Id = '"
                + creditId + "'");
        if (credits.isEmpty()) {
            throw new BusinessException("unknown-credit", "credit " + creditId + " was approved but is gone from Salesforce");
        }
        Map<String, Object> enriched = new LinkedHashMap<>(approval);
        enriched.put("credit", credits.get(0));
        return enriched;
    }
}
