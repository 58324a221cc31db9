package io.revops.bridge.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import jakarta.enterprise.event.Observes;

import org.apache.camel.quarkus.main.events.AfterStop;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.revops.bridge.billing.KillBillTenants;
import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.sandbox.salesforce.OrgDefinition;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;

/**
 * The embedded default: emulated Salesforce (OAuth, REST, Pub/Sub gRPC with CDC), Tryton (JSON-RPC) and Kill Bill
 * (REST) plus a real Kafka broker in its own JVM, started before Camel configures its routes so the runtime
 * connects to them exactly as it would to the real systems. Off unless revops.sandbox.enabled (dev and test
 * profiles); its source set, src/sandbox, is never part of the production jar.
 */
@ApplicationScoped
public class Sandbox {
    private static final Logger LOG = Logger.getLogger(Sandbox.class);

    @ConfigProperty(name = "revops.sandbox.enabled")
    boolean enabled;
    @ConfigProperty(name = "revops.sandbox.dir", defaultValue = "target/sandbox")
    Path dir;
    @ConfigProperty(name = "revops.sandbox.kafka.port")
    int kafkaPort;
    /** Empty the topics of a broker reused from an earlier start (KafkaBacklog). */
    @ConfigProperty(name = "revops.sandbox.kafka.empty-on-start")
    boolean emptyKafkaOnStart;
    @ConfigProperty(name = "revops.sandbox.salesforce.port")
    int salesforcePort;
    @ConfigProperty(name = "revops.sandbox.salesforce.pubsub-port")
    int pubSubPort;
    /** The emulated org's objects, fields and events; absent: the jar's sandbox/salesforce-org.json. */
    @ConfigProperty(name = "revops.sandbox.salesforce.org-file")
    Optional<Path> salesforceOrgFile;
    @ConfigProperty(name = "revops.sandbox.salesforce.session-timeout", defaultValue = "PT2H")
    Duration sessionTimeout;
    @ConfigProperty(name = "revops.sandbox.salesforce.jwt-certificate")
    Optional<Path> jwtCertificate;
    @ConfigProperty(name = "revops.sandbox.tryton.port")
    int trytonPort;
    @ConfigProperty(name = "erp.tryton.database")
    String trytonDatabase;
    @ConfigProperty(name = "revops.sandbox.killbill.port")
    int killBillPort;
    @ConfigProperty(name = "billing.killbill.user")
    String killBillUser;
    @ConfigProperty(name = "billing.killbill.password")
    String killBillPassword;
    @ConfigProperty(name = "billing.killbill.api-key")
    String killBillApiKey;
    @ConfigProperty(name = "billing.killbill.api-secret")
    String killBillApiSecret;

    private SalesforceEmulator salesforce;
    private TrytonEmulator tryton;
    private KillBillEmulator killBill;

    void start(@Observes @Priority(1) BeforeConfigure event) {
        if (!enabled) {
            return;
        }
        long begin = System.nanoTime();
        KafkaBroker kafka = new KafkaBroker(kafkaPort, dir.resolve("kafka"));
        kafka.ensureRunning();
        if (emptyKafkaOnStart) {
            KafkaBacklog.empty(kafka.bootstrapServers());
        }
        salesforce = new SalesforceEmulator(salesforcePort, pubSubPort, dir.resolve("salesforce"),
                salesforceOrgFile.map(OrgDefinition::read).orElseGet(OrgDefinition::defaults));
        salesforce.setSessionTimeout(sessionTimeout);
        jwtCertificate.ifPresent(salesforce::setConnectedAppCertificate);
        salesforce.start();
        trustSalesforceCertificate();
        tryton = new TrytonEmulator(trytonPort, trytonDatabase);
        tryton.start();
        killBill = new KillBillEmulator(killBillPort);
        killBill.start();
        KillBillTenants.ensureTenant(killBill.baseUrl(), killBillUser, killBillPassword, killBillApiKey, killBillApiSecret);
        LOG.infof("Sandbox up in %d ms: Salesforce %s (Pub/Sub TLS :%d), Tryton %s, Kill Bill %s, Kafka 127.0.0.1:%d",
                (System.nanoTime() - begin) / 1_000_000, salesforce.loginUrl(), pubSubPort, tryton.baseUrl(),
                killBill.baseUrl(), kafkaPort);
    }

    /**
     * The emulator serves REST, OAuth and Pub/Sub over TLS with a self-signed certificate, so the client code path is
     * the production one (camel-salesforce's HTTP client and gRPC channel both build their trust from these JVM
     * properties when they start); the JVM trusts that certificate only in the sandbox (no real system is reached there).
     */
    private void trustSalesforceCertificate() {
        System.setProperty("javax.net.ssl.trustStore", salesforce.trustStore().toAbsolutePath().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", salesforce.trustStorePassword());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    /** After Camel stopped, so the Salesforce client can still log out of the emulated org. */
    void stop(@Observes AfterStop event) {
        for (AutoCloseable emulator : new AutoCloseable[] {salesforce, tryton, killBill}) {
            try {
                if (emulator != null) {
                    emulator.close();
                }
            } catch (Exception e) {
                LOG.warn("Stopping a sandbox emulator failed", e);
            }
        }
    }

    public SalesforceEmulator salesforce() {
        return salesforce;
    }

    public TrytonEmulator tryton() {
        return tryton;
    }

    public KillBillEmulator killBill() {
        return killBill;
    }
}
