package io.revops.bridge.erp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.Circuit;
import io.revops.bridge.policy.TransientFailureException;

/**
 * Tryton JSON-RPC (POST {url}/{database}/). Logs in once with common.db.login and sends the session as
 * {@code Authorization: Session base64(user:id:key)} (Basic auth costs a password hash per call); a rejected
 * session is renewed once transparently. The user's preferences are the context passed as the last parameter.
 * Outages and lock contention become {@link TransientFailureException}; Tryton's refusals (UserError,
 * AccessError, ...) become {@link ErpRejectedException} (a BusinessException "erp-rejected") with Tryton's message.
 */
public class TrytonClient {
    static final String SYSTEM = "erp";
    private static final Set<String> TRANSIENT_ERRORS = Set.of("ConcurrencyException", "DatabaseOperationalError",
            "TimeoutException", "RateLimitException");

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final URI endpoint;
    private final String user;
    private final String password;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();
    private final Circuit circuit;
    private volatile Session session;

    private record Session(String authorization, ObjectNode context) {
    }

    public TrytonClient(String baseUrl, String database, String user, String password, Duration timeout) {
        this(baseUrl, database, user, password, timeout, Circuit.unguarded(SYSTEM));
    }

    public TrytonClient(String baseUrl, String database, String user, String password, Duration timeout, Circuit circuit) {
        this.circuit = circuit;
        this.endpoint = URI.create((baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + database + "/");
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Extra context that makes searches and reads see inactive records too (our keys stay unique across them). */
    public static final Map<String, Object> INACTIVE_TOO = Map.of("active_test", false);

    /**
     * Calls a model method with the session context appended as the last parameter. Every parameter is sent as it
     * is, a Map included (extra context goes through {@link #callWithContext}, named apart so a Map parameter is
     * never taken for context).
     */
    public JsonNode call(String method, Object... params) {
        return callWithContext(method, Map.of(), params);
    }

    /** As {@link #call(String, Object...)} with extra context entries (e.g. {@link #INACTIVE_TOO}, a wizard's). */
    public JsonNode callWithContext(String method, Map<String, Object> extraContext, Object... params) {
        for (int attempt = 0; ; attempt++) {
            Session current = session();
            ObjectNode context = current.context().deepCopy();
            extraContext.forEach((k, v) -> context.set(k, json.valueToTree(v)));
            List<Object> all = new ArrayList<>(Arrays.asList(params));
            all.add(context);
            try {
                return rpc(method, all, current.authorization());
            } catch (SessionExpired expired) {
                if (attempt > 0) {
                    throw new IllegalStateException("Tryton keeps rejecting the session of " + user);
                }
                session = null;
            }
        }
    }

    /** The company the session works in (from the user's preferences), which Tryton's own forms pass along. */
    public int company() {
        return session().context().path("company").asInt();
    }

    private Session session() {
        Session current = session;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (session == null) {
                JsonNode login;
                try {
                    login = rpc("common.db.login", List.of(user, Map.of("password", password), "en"), null);
                } catch (BusinessException | SessionExpired refused) {
                    throw new IllegalStateException("Tryton refused the login of " + user + " (TRYTON_USER/TRYTON_PASSWORD): "
                            + refused.getMessage(), refused);
                }
                String token = user + ":" + login.get(0).asText() + ":" + login.get(1).asText();
                String authorization = "Session " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
                JsonNode preferences = rpc("model.res.user.get_preferences", List.of(true, Map.of()), authorization);
                session = new Session(authorization, (ObjectNode) preferences);
            }
            return session;
        }
    }

    private JsonNode rpc(String method, List<Object> params, String authorization) {
        return circuit.call(() -> unguardedRpc(method, params, authorization));
    }

    private JsonNode unguardedRpc(String method, List<Object> params, String authorization) {
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                            Map.of("id", ids.incrementAndGet(), "method", method, "params", params))));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientFailureException(SYSTEM, method + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailureException(SYSTEM, method + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new SessionExpired();
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new TransientFailureException(SYSTEM, method + " -> HTTP " + status);
        }
        if (status != 200) {
            throw new IllegalStateException(method + " -> HTTP " + status + " " + response.body());
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new TransientFailureException(SYSTEM, method + ": unreadable response", e);
        }
        JsonNode error = body.get("error");
        if (error != null && !error.isNull()) {
            String type = error.path(0).asText();
            // UserError args are (message, description, domain); UserWarning args are (name, message, description)
            int messageAt = type.equals("UserWarning") ? 1 : 0;
            String message = error.path(1).isArray() ? error.path(1).path(messageAt).asText() : error.path(1).asText();
            if (TRANSIENT_ERRORS.contains(type)) {
                throw new TransientFailureException(SYSTEM, method + ": " + type + " " + message);
            }
            throw new ErpRejectedException(method, type, message);
        }
        return body.get("result");
    }

    private static final class SessionExpired extends RuntimeException {
        SessionExpired() {
            super(null, null, false, false);
        }
    }
}
