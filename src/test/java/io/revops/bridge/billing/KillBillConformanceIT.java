package io.revops.bridge.billing;

import org.junit.jupiter.api.Nested;

/**
 * Every billing contract against the REAL Kill Bill 0.22 (conformance profile; .ci/killbill.sh starts it).
 * -Dbilling.killbill.url, default http://127.0.0.1:8080.
 */
class KillBillConformanceIT {
    private static final String URL = System.getProperty("billing.killbill.url", "http://127.0.0.1:8080");

    @Nested
    class Accounts extends BillingAccountsContract {
        @Override
        protected String baseUrl() {
            return URL;
        }
    }

    @Nested
    class Clock extends KillBillClockContract {
        @Override
        protected String baseUrl() {
            return URL;
        }
    }

    @Nested
    class Subscriptions extends BillingSubscriptionsContract {
        @Override
        protected String baseUrl() {
            return URL;
        }
    }

    @Nested
    class Feed extends BillingFeedContract {
        @Override
        protected String baseUrl() {
            return URL;
        }
    }

    @Nested
    class AccountPages extends AccountPagesContract {
        @Override
        protected String baseUrl() {
            return URL;
        }
    }

    @Nested
    class Credits extends BillingCreditsContract {
        @Override
        protected String baseUrl() {
            return URL;
        }
    }
}
