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

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.HttpEmulator;
import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * Salesforce's OAuth token endpoint and REST API (/services/data/vNN.N/): sObject create, get, update, delete,
 * upsert by external id (Id included), and SOQL queries with paging through nextRecordsUrl. Responses, status
 * codes and error bodies ([{message, errorCode, fields}]) are Salesforce's; every answer carries Sforce-Limit-Info.
 */
final class RestApi extends HttpEmulator {
    private final SObjectStore store;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final QueryPages queries;
    private final Discovery discovery;
    private final AtomicInteger apiUsage = new AtomicInteger();
    private static final String[] CREDENTIALS = {"sandbox-client", "sandbox-secret", "integration@revops.sandbox", "sandbox"};

    RestApi(int port, SObjectStore store) {
        super(port);
        this.store = store;
        this.queries = new QueryPages(new SoqlEngine(store, "v59.0"));
        this.discovery = new Discovery(store);
    }

    void setQueryPageSize(int pageSize) {
        queries.setDefaultBatch(pageSize);
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
        String[] segments = path.substring("/services/data/".length()).split("/");
        try {
            data(exchange, method, segments);
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

    private void data(HttpExchange exchange, String method, String[] segments) throws IOException {
        // segments[0] is the API version (v59.0); the rest names the resource
        String resource = segments.length > 1 ? segments[1] : "";
        String version = segments[0];
        if (resource.equals("query")) {
            sendJson(exchange, 200, segments.length == 3 ? queries.next(version, resource, segments[2])
                    : queries.first(version, resource, query(exchange, "q"),
                            exchange.getRequestHeaders().getFirst("Sforce-Query-Options")));
            return;
        }
        if (method.equals("GET") && discover(exchange, version, resource, segments)) {
            return;
        }
        if (!resource.equals("sobjects") || segments.length < 3) {
            errors(exchange, 404, "NOT_FOUND", "The requested resource does not exist", List.of());
            return;
        }
        SObjectType type = store.type(segments[2]);
        String object = type.name();
        switch (segments.length) {
            case 3 -> {
                if (!method.equals("POST")) {
                    errors(exchange, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed", List.of());
                    return;
                }
                String id = store.create(object, RecordValues.read(type, readJson(exchange), true));
                sendJson(exchange, 201, Map.of("id", id, "success", true, "errors", List.of()));
            }
            case 4 -> record(exchange, method, object, segments[3]);
            case 5 -> upsert(exchange, method, type, segments[3], URLDecoder.decode(segments[4], StandardCharsets.UTF_8));
            default -> errors(exchange, 404, "NOT_FOUND", "The requested resource does not exist", List.of());
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

    private void record(HttpExchange exchange, String method, String object, String id) throws IOException {
        switch (method) {
            case "GET" -> {
                Map<String, Object> record = store.get(object, id).orElseThrow(() -> new SObjectException(404,
                        "NOT_FOUND", "The requested resource does not exist", List.of()));
                String fields = query(exchange, "fields");
                sendJson(exchange, 200, rest(object, record, fields == null ? null : List.of(fields.split(","))));
            }
            case "PATCH" -> {
                store.update(object, id, RecordValues.read(store.type(object), readJson(exchange), false));
                send(exchange, 204, null, null);
            }
            case "DELETE" -> {
                store.delete(object, id);
                send(exchange, 204, null, null);
            }
            default -> errors(exchange, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed", List.of());
        }
    }

    private void upsert(HttpExchange exchange, String method, SObjectType type, String fieldName, String value) throws IOException {
        if (!method.equals("PATCH")) {
            errors(exchange, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed", List.of());
            return;
        }
        SObjectField field = type.field(fieldName).filter(f -> f.name().equals("Id") || f.externalId())
                .orElseThrow(() -> new SObjectException(404, "NOT_FOUND", "Provided external ID field does not exist or "
                        + "is not accessible: " + fieldName, List.of()));
        JsonNode body = readJson(exchange);
        List<Map<String, Object>> matches = field.name().equals("Id")
                ? store.get(type.name(), value).map(List::of).orElse(List.of())
                : store.findBy(type.name(), field.name(), value, false);
        if (matches.size() > 1) {
            sendJson(exchange, 300, matches.stream().map(r -> url(type.name(), (String) r.get("Id"))).toList());
        } else if (matches.size() == 1) {
            String id = (String) matches.get(0).get("Id");
            store.update(type.name(), id, RecordValues.read(type, body, false));
            sendJson(exchange, 200, Map.of("id", id, "success", true, "errors", List.of(), "created", false));
        } else if (field.name().equals("Id")) {
            errors(exchange, 404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + value, List.of());
        } else {
            Map<String, Object> values = RecordValues.read(type, body, true);
            values.put(field.name(), value);
            String id = store.create(type.name(), values);
            sendJson(exchange, 201, Map.of("id", id, "success", true, "errors", List.of(), "created", true));
        }
    }

    /** A record as REST returns it: attributes first, values typed by their fields (dates in Salesforce's format). */
    private Map<String, Object> rest(String object, Map<String, Object> record, List<String> fields) {
        SObjectType type = store.type(object);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", Map.of("type", object, "url", url(object, (String) record.get("Id"))));
        for (SObjectField field : type.describedFields()) {
            if (fields == null || fields.stream().anyMatch(f -> f.trim().equalsIgnoreCase(field.name()))) {
                out.put(field.name(), SoqlEngine.rest(type, field, record));
            }
        }
        return out;
    }

    private static String url(String object, String id) {
        return "/services/data/v59.0/sobjects/" + object + "/" + id;
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
