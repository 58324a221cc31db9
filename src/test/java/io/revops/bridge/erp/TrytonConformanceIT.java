package io.revops.bridge.erp;

import org.junit.jupiter.api.Nested;

/**
 * Every ERP contract against the REAL Tryton 6.0 (conformance profile; .ci/tryton.sh starts it on PostgreSQL).
 * -Derp.tryton.url (default http://127.0.0.1:8000), -Derp.tryton.database (tryton), -Derp.tryton.password (admin).
 */
class TrytonConformanceIT {
    private static final String URL = System.getProperty("erp.tryton.url", "http://127.0.0.1:8000");

    @Nested
    class Customers extends ErpCustomersContract {
        @Override
        protected String url() {
            return URL;
        }
    }

    @Nested
    class Sales extends ErpSalesContract {
        @Override
        protected String url() {
            return URL;
        }
    }

    @Nested
    class Invoices extends ErpInvoicesContract {
        @Override
        protected String url() {
            return URL;
        }
    }

    @Nested
    class RevenueDeferral extends ErpRevenueDeferralContract {
        @Override
        protected String url() {
            return URL;
        }
    }

    @Nested
    class ContractChanges extends ErpContractChangesContract {
        @Override
        protected String url() {
            return URL;
        }
    }

    @Nested
    class ReconciliationReads extends PartyIdentifierReadsContract {
        @Override
        protected String url() {
            return URL;
        }
    }

    @Nested
    class Credits extends ErpCreditsContract {
        @Override
        protected String url() {
            return URL;
        }
    }
}
