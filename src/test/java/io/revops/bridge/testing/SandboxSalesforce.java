package io.revops.bridge.testing;

import io.revops.bridge.sandbox.SalesforceRest;

/** A REST client of the emulated Salesforce logged in as the integration user the sandbox knows (a sales rep's view). */
public final class SandboxSalesforce {
    private SandboxSalesforce() {
    }

    public static SalesforceRest login(String loginUrl) {
        return new SalesforceRest(loginUrl, "sandbox-client", "sandbox-secret", "integration@revops.sandbox", "sandbox");
    }
}
