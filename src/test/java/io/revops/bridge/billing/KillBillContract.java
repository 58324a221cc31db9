package io.revops.bridge.billing;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;

/**
 * Common ground of the billing contracts: the contract tenant (created with its catalog on first use), a client
 * for it, and keys unique per test, so the contracts can run again and again against one real Kill Bill.
 */
abstract class KillBillContract {
    protected static final String API_KEY = "revops-contract";
    protected static final String API_SECRET = "revops-contract-secret";

    /** Kill Bill's base URL: the emulator's or the real server's. */
    protected abstract String baseUrl();

    protected KillBillClient client;
    protected BillingAccounts accounts;

    @BeforeEach
    void tenant() {
        KillBillTenants.ensureTenant(baseUrl(), "admin", "password", API_KEY, API_SECRET);
        client = new KillBillClient(baseUrl(), "admin", "password", API_KEY, API_SECRET, Duration.ofSeconds(30));
        accounts = new BillingAccounts(client);
    }

    /** A Salesforce-like account id no other test or run uses. */
    protected static String key() {
        return "001" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
    }

    /** An order number no other test or run uses (subscription keys are unique per tenant, for good). */
    protected static String orderNumber() {
        return "O" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A new billing account on a fresh key; returns the key. */
    protected String billingAccount() {
        String key = key();
        accounts.upsert(Map.of("externalKey", key, "name", "Contract " + key, "currency", "USD"));
        return key;
    }
}
