package io.revops.bridge.erp;

/** The invoices contract against the REAL Tryton 6.0 (conformance profile; .ci/tryton.sh starts it). */
class TrytonInvoicesIT extends ErpInvoicesContract {
    @Override
    protected String url() {
        return System.getProperty("erp.tryton.url", "http://127.0.0.1:8000");
    }

    @Override
    protected String database() {
        return System.getProperty("erp.tryton.database", "tryton");
    }

    @Override
    protected String password() {
        return System.getProperty("erp.tryton.password", "admin");
    }
}
