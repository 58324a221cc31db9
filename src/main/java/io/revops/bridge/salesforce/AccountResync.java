package io.revops.bridge.salesforce;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.revops.bridge.policy.BusinessException;

/**
 * An account a target does not know (its creation never reached it: a dead letter discarded, a restore from backup)
 * resynchronised from Salesforce, the system of record: the account is read by REST as it is now and becomes a
 * full-state canonical event (revops.account.created.v1, every Salesforce-owned attribute, no changedAttributes), which
 * the account routes apply like any other; the change that found the account missing is part of that state. The
 * event id derives from that change's id, so when the ERP and billing both miss the account they publish the same
 * event id and each target applies the first one it reads (what changes in Salesforce afterwards comes as its own
 * change event).
 */
@ApplicationScoped
@Named("accountResync")
public class AccountResync {
    static final String SOURCE = "/salesforce/sobjects/Account";

    private final SalesforceRecords records;

    @Inject
    public AccountResync(SalesforceRecords records) {
        this.records = records;
    }

    /**
     * @param accountId     the Salesforce account id (ce_subject of the change that found it missing)
     * @param correlationId the correlation of that change, kept on the resync
     * @return the canonical event {id, type, source, subject, time, correlationId, causationId, data}
     * @throws BusinessException unknown-account: Salesforce does not hold the account either (deleted meanwhile)
     */
    public Map<String, Object> fullState(String accountId, String causationId, String correlationId) {
        if (accountId == null || !accountId.matches("[a-zA-Z0-9]{15,18}")) {
            throw new BusinessException("invalid-event", "not a Salesforce account id: " + accountId);
        }
        List<Map<String, Object>> found = records.query("SELECT " + AccountRecords.FIELDS + " FROM Account WHERE Id = '" + accountId + "'");
        if (found.isEmpty()) {
            throw new BusinessException("unknown-account", "account " + accountId
                    + " is neither in the target nor in Salesforce (deleted there?): nothing to resync");
        }
        Map<String, Object> account = found.get(0);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "salesforce:resync:" + accountId + ":" + shortened(causationId));
        event.put("type", "revops.account.created.v1");
        event.put("source", SOURCE);
        event.put("subject", accountId);
        event.put("time", Instant.now().toString());
        event.put("correlationId", correlationId == null ? accountId : correlationId);
        event.put("causationId", causationId);
        event.put("data", canonical(account));
        return event;
    }

    /** The causing event's id, or its SHA-256 where it would make the resync's id longer than an event id may be. */
    private static String shortened(String causationId) {
        if (causationId == null || causationId.isBlank()) {
            throw new BusinessException("invalid-event", "an account resync needs the id of the change that asked for it");
        }
        if (causationId.length() <= 200) {
            return causationId;
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(causationId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Map<String, Object> canonical(Map<String, Object> account) {
        Map<String, Object> data = AccountRecords.canonical(account);
        if (((Map<?, ?>) data.get("billingAddress")).values().stream().allMatch(java.util.Objects::isNull)) {
            data.put("billingAddress", null);
        }
        data.put("customerNumber", account.get("ERP_Customer_Number__c"));
        // as a change event's creation carries them: a field without a value is left out
        data.values().removeIf(java.util.Objects::isNull);
        return data;
    }
}
