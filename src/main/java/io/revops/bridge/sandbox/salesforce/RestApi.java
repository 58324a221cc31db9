package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.HttpEmulator;
import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * Salesforce's OAuth token endpoint and REST API (/services/data/vNN.N/), dispatching to the sObject and SOQL
 * resources ({@link SObjectResource}), the composite resources ({@link CompositeResource}) and Bulk API 2.0
 * ({@link BulkApi}). Responses, status codes and error bodies ([{message, errorCode, fields}]) are Salesforce's;
 * every answer carries Sforce-Limit-Info.
 */
final class RestApi extends HttpEmulator {
    private final SObjectResource sobjects;
    private final CompositeResource composite;
    private final BulkApi bulk;
    private final Discovery discovery;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger apiUsage = new AtomicInteger();
    private static final String[] CREDENTIALS = {"sandbox-client", "sandbox-secret", "integration@revops.sandbox", "sandbox"};

    RestApi(int port, SObjectStore store) {
        super(port);
        this.sobjects = new SObjectResource(store);
        this.composite = new CompositeResource(store, sobjects);
        this.bulk = new BulkApi(store, sobjects);
        this.discovery = new Discovery(store);
    }

    void setQueryPageSize(int pageSize) {
        sobjects.setQueryPageSize(pageSize);
    }

    @Override
    public synchronized void close() {
        bulk.close();
        super.close();
    }

    boolean validToken(String token) {
        return tokens.contains(token);
    }

    @Override
    protected boolean injectsFaults(HttpExchange exchange) {
        return exchange.getRequestURI().getPath().startsWith("/services/data/");
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (countAndFail(exchange, method + " " + path)) {
            return;
        }
        if (path.equals("/services/oauth2/token")) {
            token(exchange);
            return;
        }
        if (path.equals("/services/oauth2/revoke")) {
            tokens.remove(String.valueOf(query(exchange, "token")));
            send(exchange, 200, null, null);
            return;
        }
        if (path.equals("/services/data") || path.equals("/services/data/")) {
            // the versions list needs no session, as in a real org
            sendJson(exchange, 200, Discovery.versions());
            return;
        }
        if (!path.startsWith("/services/data/")) {
            send(exchange, 404, "text/plain", "Not Found");
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !tokens.contains(authorization.replaceFirst("^(Bearer|OAuth) ", ""))) {
            errors(exchange, 401, "INVALID_SESSION_ID", "Session expired or invalid", List.of());
            return;
        }
        exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + apiUsage.incrementAndGet() + "/15000");
        String pathAfterData = path.substring("/services/data/".length());
        String origin = ChangeOrigin.rest(pathAfterData.split("/")[0].replaceFirst("^v", ""),
                exchange.getRequestHeaders().getFirst("Sforce-Call-Options"));
        try {
            ChangeOrigin.during(origin, () -> data(exchange, method, pathAfterData));
        } catch (SObjectException e) {
            errors(exchange, e.status, e.errorCode, e.getMessage(), e.fields);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(readText(exchange));
        String[] c = CREDENTIALS;
        boolean valid = c[0].equals(form.get("client_id")) && switch (String.valueOf(form.get("grant_type"))) {
            case "password" -> c[1].equals(form.get("client_secret")) && c[2].equals(form.get("username"))
                    && c[3].equals(form.get("password"));
            case "client_credentials" -> c[1].equals(form.get("client_secret"));
            case "refresh_token" -> form.get("refresh_token") != null && tokens.contains(form.get("refresh_token"));
            default -> false;
        };
        if (!valid) {
            sendJson(exchange, 400, Map.of("error", "invalid_grant", "error_description", "authentication failure"));
            return;
        }
        String token = "00D000000000001!" + UUID.randomUUID().toString().replace("-", "");
        tokens.add(token);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("instance_url", baseUrl());
        body.put("id", baseUrl() + "/id/" + SalesforceEmulator.ORG_ID + "/" + SObjectStore.USER_ID);
        body.put("token_type", "Bearer");
        body.put("issued_at", String.valueOf(System.currentTimeMillis()));
        body.put("signature", UUID.randomUUID().toString());
        sendJson(exchange, 200, body);
    }

    /** Bulk API 2.0 streams CSV, so it reads the exchange itself; every other resource answers an {@link ApiCall}. */
    private void data(HttpExchange exchange, String method, String pathAfterData) throws IOException {
        String[] segments = pathAfterData.split("/");
        String resource = segments.length > 1 ? segments[1] : "";
        if (method.equals("GET") && discover(exchange, segments[0], resource, segments)) {
            return;
        }
        if (resource.equals("jobs")) {
            bulk.handle(exchange, method, segments);
            return;
        }
        JsonNode body;
        try {
            body = readJson(exchange);
        } catch (JsonProcessingException e) {
            errors(exchange, 400, "JSON_PARSER_ERROR", "The request body is not valid JSON: "
                    + e.getOriginalMessage(), List.of());
            return;
        }
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
        ApiCall.Request request = ApiCall.Request.of(method, pathAfterData, exchange.getRequestURI().getRawQuery(), body)
                .withHeaders(headers);
        ApiCall.Response response = request.resource().equals("composite") ? composite.call(request) : sobjects.call(request);
        response.headers().forEach(exchange.getResponseHeaders()::set);
        if (response.body() == null) {
            send(exchange, response.status(), null, null);
        } else {
            sendJson(exchange, response.status(), response.body());
        }
    }

    /** Discovery GETs (versions' resources, describeGlobal, basic info, describe, limits); false if not one. */
    private boolean discover(HttpExchange exchange, String version, String resource, String[] segments) throws IOException {
        Object body = null;
        if (segments.length == 1) {
            body = Discovery.resources(version);
        } else if (resource.equals("limits") && segments.length == 2) {
            body = Discovery.limits(apiUsage.get());
        } else if (resource.equals("sobjects") && segments.length == 2) {
            body = discovery.describeGlobal(version);
        } else if (resource.equals("sobjects") && segments.length == 3) {
            body = discovery.basicInfo(segments[2], version);
        } else if (resource.equals("sobjects") && segments.length == 4 && segments[3].equals("describe")) {
            body = discovery.describe(segments[2], version);
        }
        if (body == null) {
            return false;
        }
        sendJson(exchange, 200, body);
        return true;
    }

    private static void errors(HttpExchange exchange, int status, String code, String message, List<String> fields)
            throws IOException {
        sendJson(exchange, status, List.of(Map.of("message", message, "errorCode", code, "fields", fields)));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }
}
