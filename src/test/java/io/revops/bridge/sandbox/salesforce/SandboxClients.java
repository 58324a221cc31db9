package io.revops.bridge.sandbox.salesforce;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;

import io.revops.bridge.testing.SandboxSalesforce;

/**
 * Clients of an emulated org in contract tests: the real camel-salesforce component logged in as the sandbox's
 * integration user, and trust in the org's self-signed certificate as a user of the sandbox sets it up: camel-salesforce
 * through the standard javax.net.ssl trust store properties (so it keeps its production TLS code path), a test's own
 * HTTP client through a TLS context of its own (the JVM's default context is fixed at its first use, and each test's
 * org has its own certificate).
 */
final class SandboxClients {
    private SandboxClients() {
    }

    /** camel-salesforce logging in to the org with the OAuth username-password flow, its Pub/Sub on the org's port. */
    static SalesforceComponent component(SalesforceEmulator org, int pubSubPort) {
        SalesforceComponent salesforce = new SalesforceComponent();
        salesforce.setLoginUrl(org.loginUrl());
        salesforce.setClientId("sandbox-client");
        salesforce.setClientSecret("sandbox-secret");
        salesforce.setUserName("integration@revops.sandbox");
        salesforce.setPassword("sandbox");
        salesforce.setAuthenticationType(AuthenticationType.USERNAME_PASSWORD);
        salesforce.setPubSubHost("127.0.0.1");
        salesforce.setPubSubPort(pubSubPort);
        return salesforce;
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
