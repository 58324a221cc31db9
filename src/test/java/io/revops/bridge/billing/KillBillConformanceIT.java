package io.revops.bridge.billing;

/**
 * The billing contract against the REAL Kill Bill 0.22 (conformance profile; .ci/killbill.sh starts it).
 * -Dbilling.killbill.url, default http://127.0.0.1:8080.
 */
class KillBillConformanceIT extends BillingAccountsContract {
    @Override
    protected String baseUrl() {
        return System.getProperty("billing.killbill.url", "http://127.0.0.1:8080");
    }
}
