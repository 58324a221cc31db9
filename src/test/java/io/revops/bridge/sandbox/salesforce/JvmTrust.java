package io.revops.bridge.sandbox.salesforce;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.revops.bridge.testing.SandboxSalesforce;

/**
 * Trusting an emulated org's self-signed certificate, as a user of the sandbox does: camel-salesforce through the
 * standard javax.net.ssl trust store properties (so it keeps its production TLS code path), a test's own HTTP client
 * through a TLS context of its own (the JVM's default context is fixed at its first use, and each test's org has its
 * own certificate).
 */
final class JvmTrust {
    private JvmTrust() {
    }

    static void trust(SalesforceEmulator org) {
        SandboxSalesforce.trustInThisJvm(org);
    }

    static HttpClient httpClient(SalesforceEmulator org) {
        return HttpClient.newBuilder().sslContext(context(org)).build();
    }

    static SSLContext context(SalesforceEmulator org) {
        try (InputStream in = Files.newInputStream(org.trustStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, org.trustStorePassword().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the sandbox trust store " + org.trustStore(), e);
        }
    }
}
