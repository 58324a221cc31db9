package io.revops.bridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drives Salesforce the way a user or another integration does: the standard OAuth token endpoint and the REST
 * API, over HTTP. Used against the emulator in tests; nothing here knows it is an emulator.
 */
public final class SalesforceRest {
    private static final String API = "/services/data/v59.0";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String instanceUrl;
    private final String token;

    public SalesforceRest(String loginUrl, String clientId, String clientSecret, String user, String password) {
        JsonNode login = send(HttpRequest.newBuilder(URI.create(loginUrl + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", clientId,
                        "client_secret", clientSecret, "username", user, "password", password)))).build(), 200);
        this.instanceUrl = login.get("instance_url").asText();
        this.token = login.get("access_token").asText();
    }

    public String create(String sobject, Map<String, Object> fields) {
        return send(request(API + "/sobjects/" + sobject).POST(json(fields)).build(), 201).get("id").asText();
    }

    public void update(String sobject, String id, Map<String, Object> fields) {
        send(request(API + "/sobjects/" + sobject + "/" + id).method("PATCH", json(fields)).build(), 204);
    }

    public void delete(String sobject, String id) {
        send(request(API + "/sobjects/" + sobject + "/" + id).DELETE().build(), 204);
    }

    public JsonNode get(String sobject, String id) {
        return send(request(API + "/sobjects/" + sobject + "/" + id).GET().build(), 200);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(instanceUrl + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
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

    private static String form(Map<String, String> values) {
        StringBuilder body = new StringBuilder();
        values.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }
}
