package io.revops.bridge.billing;

/** Subscription activation against the REAL Kill Bill 0.22 (conformance profile; .ci/killbill.sh starts it). */
class KillBillSubscriptionsConformanceIT extends BillingSubscriptionsContract {
    @Override
    protected String baseUrl() {
        return System.getProperty("billing.killbill.url", "http://127.0.0.1:8080");
    }
}
