package io.revops.bridge.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import io.revops.bridge.billing.KillBillTenants;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;

/**
 * What a packaged-runtime test (PackagedRuntime) runs the jar against: a PostgreSQL schema of its own, emptied first;
 * the emulated Tryton and Kill Bill (with the runtime's tenant) and Salesforce, each on a free port. Salesforce can be
 * stopped and started again on the same ports (a test of a start without it).
 */
public final class EmulatedStack implements AutoCloseable {
    public static final String DB_URL = System.getProperty("revops.db.url", "jdbc:postgresql://127.0.0.1:5433/revops");
    public static final String DB_USER = System.getProperty("revops.db.user", "revops");
    public static final String DB_PASSWORD = System.getProperty("revops.db.password", "revops");

    public final TrytonEmulator tryton;
    public final KillBillEmulator killBill;
    public final int pubSubPort = FreePorts.any();
    private final int salesforcePort = FreePorts.any();
    private final Path work;
    private final String schema;
    private SalesforceEmulator salesforce;

    private EmulatedStack(Path work, String schema) throws Exception {
        this.work = work;
        this.schema = schema;
        try (Connection c = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        tryton = new TrytonEmulator(FreePorts.any(), "tryton");
        tryton.start();
        killBill = new KillBillEmulator(FreePorts.any());
        killBill.start();
        KillBillTenants.ensureTenant(killBill.baseUrl(), "admin", "password", "revops", apiSecret());
    }

    /** Database schema, Tryton, Kill Bill and Salesforce up (Salesforce's files under work/salesforce). */
    public static EmulatedStack start(Path work, String schema) throws Exception {
        EmulatedStack stack = new EmulatedStack(work, schema);
        stack.startSalesforce();
        return stack;
    }

    /** Starts Salesforce (again) on this stack's ports, trusted by this JVM. */
    public SalesforceEmulator startSalesforce() throws Exception {
        salesforce = new SalesforceEmulator(salesforcePort, pubSubPort, work.resolve("salesforce"));
        salesforce.start();
        SandboxSalesforce.trustInThisJvm(salesforce);
        return salesforce;
    }

    public void stopSalesforce() {
        salesforce.close();
    }

    public SalesforceEmulator salesforce() {
        return salesforce;
    }

    /** The runtime's environment against this stack and a Kafka broker on kafkaPort (present or not). */
    public Map<String, String> runtimeEnvironment(int httpPort, int kafkaPort) {
        Map<String, String> env = PackagedRuntime.environment(httpPort, FreePorts.any(), salesforce, pubSubPort, tryton, killBill);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        env.put("DB_URL", PackagedRuntime.inSchema(DB_URL, schema));
        env.put("DB_USER", DB_USER);
        env.put("DB_PASSWORD", DB_PASSWORD);
        env.put("KILLBILL_API_SECRET", apiSecret());
        return env;
    }

    private String apiSecret() {
        return "revops-api-secret-" + schema;
    }

    @Override
    public void close() {
        salesforce.close();
        tryton.close();
        killBill.close();
    }
}
