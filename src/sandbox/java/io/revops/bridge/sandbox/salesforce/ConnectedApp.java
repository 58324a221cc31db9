package io.revops.bridge.sandbox.salesforce;

import java.security.cert.X509Certificate;

/**
 * The org's one connected app and integration user: who may log in, with which secret, password or signing
 * certificate. The refresh token stands for a grant the user gave the app once (web server flow), so the
 * refresh-token grant has something to refresh from.
 */
final class ConnectedApp {
    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";
    static final String USER_NAME = "integration@revops.sandbox";
    static final String PASSWORD = "sandbox";
    static final String REFRESH_TOKEN = "5Aep861sandboxRefreshToken";
    static final String USER_ID = SObjectStore.USER_ID;
    static final String ORG_ID = SalesforceEmulator.ORG_ID;
    static final String DISPLAY_NAME = "Integration User";
    static final String TIME_ZONE = "America/Los_Angeles";

    private volatile X509Certificate certificate;

    /** The certificate uploaded to the connected app: JWT bearer assertions must be signed with its key. */
    void setCertificate(X509Certificate certificate) {
        this.certificate = certificate;
    }

    X509Certificate certificate() {
        return certificate;
    }

    static boolean knownClient(String clientId) {
        return CLIENT_ID.equals(clientId);
    }

    static boolean validSecret(String secret) {
        return CLIENT_SECRET.equals(secret);
    }

    static boolean validUser(String userName, String password) {
        return USER_NAME.equals(userName) && PASSWORD.equals(password);
    }
}
