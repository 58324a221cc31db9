package io.revops.bridge.billing;

/** The billing feed against the REAL Kill Bill 0.22 (conformance profile; .ci/killbill.sh starts it). */
class KillBillFeedConformanceIT extends BillingFeedContract {
    @Override
    protected String baseUrl() {
        return System.getProperty("billing.killbill.url", "http://127.0.0.1:8080");
    }
}
