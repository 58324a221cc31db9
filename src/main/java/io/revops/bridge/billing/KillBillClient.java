package io.revops.bridge.billing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.Circuit;
import io.revops.bridge.policy.TransientFailureException;

/**
 * Kill Bill REST: basic auth, tenant headers, JSON. Outages (refused connections, timeouts, 5xx, 429) become
 * {@link TransientFailureException} so route policies redeliver them; other refusals become
 * {@link BusinessException} "billing-rejected" carrying Kill Bill's own message.
 */
public class KillBillClient {
    static final String SYSTEM = "billing";

    private final HttpClient http;
    /** Amounts stay BigDecimal with Kill Bill's scale: 10.00, neither the double 10.0 nor Jackson's stripped 1E+1. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private final String baseUrl;
    private final String authorization;
    private final String apiKey;
    private final String apiSecret;
    private final Duration timeout;
    private final Circuit circuit;

    public KillBillClient(String baseUrl, String user, String password, String apiKey, String apiSecret, Duration timeout) {
        this(baseUrl, user, password, apiKey, apiSecret, timeout, Circuit.unguarded(SYSTEM));
    }

    public KillBillClient(String baseUrl, String user, String password, String apiKey, String apiSecret, Duration timeout,
            Circuit circuit) {
        this.circuit = circuit;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public record Response(int status, String location, JsonNode body) {
    }

    /** GET that treats 404 as "not there" rather than as a failure. */
    public Optional<JsonNode> find(String path) {
        Response response = send(request(path).GET(), true);
        return response.status() == 404 ? Optional.empty() : Optional.of(response.body());
    }

    public Response post(String path, Object body) {
        return send(request(path).POST(publisher(body)).header("Content-Type", "application/json"), false);
    }

    public Response put(String path, Object body) {
        return send(request(path).PUT(publisher(body)).header("Content-Type", "application/json"), false);
    }

    public Response delete(String path) {
        return send(request(path).DELETE(), false);
    }

    public Response postXml(String path, String xml) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(xml)).header("Content-Type", "text/xml"), false);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .header("X-Killbill-ApiKey", apiKey)
                .header("X-Killbill-ApiSecret", apiSecret)
                .header("X-Killbill-CreatedBy", "revops-bridge");
    }

    private HttpRequest.BodyPublisher publisher(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise a Kill Bill request", e);
        }
    }

    private Response send(HttpRequest.Builder builder, boolean notFoundIsAnAnswer) {
        HttpRequest request = builder.build();
        return circuit.call(() -> unguardedSend(request, notFoundIsAnAnswer));
    }

    private Response unguardedSend(HttpRequest request, boolean notFoundIsAnAnswer) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientFailureException(SYSTEM, request.method() + " " + request.uri().getPath() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailureException(SYSTEM, "interrupted", e);
        }
        int status = response.statusCode();
        String what = request.method() + " " + request.uri().getPath() + " -> HTTP " + status;
        if (status >= 500 || status == 429 || status == 408) {
            throw new TransientFailureException(SYSTEM, what);
        }
        if (status == 401) {
            throw new IllegalStateException(what + ": Kill Bill refused the credentials or tenant keys (KILLBILL_USER/PASSWORD/API_KEY/API_SECRET)");
        }
        JsonNode body = parse(response.body());
        if (status == 404 && notFoundIsAnAnswer) {
            return new Response(status, null, body);
        }
        if (status >= 400) {
            throw new BusinessException("billing-rejected", what + ": " + body.path("message").asText(response.body()));
        }
        return new Response(status, response.headers().firstValue("Location").orElse(null), body);
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }
}
