package io.revops.bridge.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drives Salesforce the way a user or another integration does: the standard OAuth token endpoint and the REST
 * API, over HTTPS, logging in again when the session expired. Used against the emulator in tests and by the demo
 * traffic; nothing here knows it is an emulator. Trusts what the JVM's trust store (javax.net.ssl.trustStore) holds
 * when it is created.
 */
public final class SalesforceRest {
    private static final String API = "/services/data/v59.0";
    private final HttpClient http = HttpClient.newBuilder().sslContext(currentTrustStore()).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpRequest loginRequest;
    private volatile String instanceUrl;
    private volatile String token;

    public SalesforceRest(String loginUrl, String clientId, String clientSecret, String user, String password) {
        this.loginRequest = HttpRequest.newBuilder(URI.create(loginUrl + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", clientId,
                        "client_secret", clientSecret, "username", user, "password", password)))).build();
        login();
    }

    private void login() {
        JsonNode login;
        try {
            login = send(loginRequest, 200);
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e;
            }
            // the connection the 401 came on may be closing as the login goes out on it (the JDK client does not
            // repeat a POST on a connection closed under it); a login is safe to send again
            login = send(loginRequest, 200);
        }
        this.instanceUrl = login.get("instance_url").asText();
        this.token = login.get("access_token").asText();
    }

    /** The session's access token and instance URL, for a client of the org's other APIs (Pub/Sub). */
    public String accessToken() {
        return token;
    }

    public String instanceUrl() {
        return instanceUrl;
    }

    public String create(String sobject, Map<String, Object> fields) {
        return call(API + "/sobjects/" + sobject, "POST", json(fields), 201).get("id").asText();
    }

    public void update(String sobject, String id, Map<String, Object> fields) {
        call(API + "/sobjects/" + sobject + "/" + id, "PATCH", json(fields), 204);
    }

    public void delete(String sobject, String id) {
        call(API + "/sobjects/" + sobject + "/" + id, "DELETE", HttpRequest.BodyPublishers.noBody(), 204);
    }

    public JsonNode get(String sobject, String id) {
        return call(API + "/sobjects/" + sobject + "/" + id, "GET", HttpRequest.BodyPublishers.noBody(), 200);
    }

    /** A REST call; when the session expired (401 INVALID_SESSION_ID), one new login and the call once more. */
    private JsonNode call(String path, String method, HttpRequest.BodyPublisher body, int expectedStatus) {
        try {
            return send(request(path, method, body), expectedStatus);
        } catch (SessionExpiredException e) {
            login();
            return send(request(path, method, body), expectedStatus);
        }
    }

    private HttpRequest request(String path, String method, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(instanceUrl + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, body).build();
    }

    private static final class SessionExpiredException extends IllegalStateException {
        SessionExpiredException(String message) {
            super(message);
        }
    }

    private HttpRequest.BodyPublisher json(Map<String, Object> fields) {
        try {
            return HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(fields));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode send(HttpRequest request, int expectedStatus) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 && response.body().contains("INVALID_SESSION_ID")) {
                throw new SessionExpiredException(request.method() + " " + request.uri() + " -> " + response.body());
            }
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + response.statusCode()
                        + " " + response.body());
            }
            return response.body().isEmpty() ? mapper.createObjectNode() : mapper.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TLS context trusting what javax.net.ssl.trustStore names now. The store is read here rather than through the
     * JDK's default trust manager: that one is fixed at first use and, reloaded by several threads at once, handed some
     * of them the previous store (the benchmark's sales reps failed their handshakes).
     */
    private static SSLContext currentTrustStore() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            String path = System.getProperty("javax.net.ssl.trustStore");
            if (path == null) {
                context.init(null, null, null);
                return context;
            }
            KeyStore store = KeyStore.getInstance(System.getProperty("javax.net.ssl.trustStoreType", KeyStore.getDefaultType()));
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                store.load(in, System.getProperty("javax.net.ssl.trustStorePassword", "").toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read the trust store " + System.getProperty("javax.net.ssl.trustStore"), e);
        }
    }

    private static String form(Map<String, String> values) {
        StringBuilder body = new StringBuilder();
        values.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }
}
