package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.HttpEmulator;
import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * The org's HTTPS endpoint: login (OAuthEndpoints, SoapLogin) and the REST API (/services/data/vNN.N/), whose calls
 * need a live session (Sessions): sObject create, get, update, delete,
 * upsert by external id (Id included), and SOQL queries with paging through nextRecordsUrl. Responses, status
 * codes and error bodies ([{message, errorCode, fields}]) are Salesforce's; every answer carries Sforce-Limit-Info.
 */
final class RestApi extends HttpEmulator {
    private static final DateTimeFormatter SALESFORCE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private final SObjectStore store;
    private final Sessions sessions;
    private final OAuthEndpoints oauth;
    private final SoapLogin soap;
    private final SelfSignedCertificate certificate;
    private final Map<String, List<Map<String, Object>>> cursors = new ConcurrentHashMap<>();
    private final AtomicInteger apiUsage = new AtomicInteger();
    private volatile int pageSize = 2000;

    RestApi(int port, SObjectStore store, Sessions sessions, ConnectedApp app, SelfSignedCertificate certificate) {
        super(port);
        this.store = store;
        this.sessions = sessions;
        this.oauth = new OAuthEndpoints(sessions, app, this::baseUrl);
        this.soap = new SoapLogin(sessions, this::baseUrl);
        this.certificate = certificate;
    }

    void setQueryPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    @Override
    protected boolean https() {
        return true;
    }

    @Override
    protected SSLContext tls() {
        return certificate.sslContext();
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
        if (OAuthEndpoints.handles(path)) {
            oauth.handle(exchange);
            return;
        }
        if (SoapLogin.handles(path)) {
            soap.handle(exchange);
            return;
        }
        if (!path.startsWith("/services/data/")) {
            send(exchange, 404, "text/plain", "Not Found");
            return;
        }
        if (!sessions.valid(HttpReplies.bearerToken(exchange))) {
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

    private void data(HttpExchange exchange, String method, String[] segments) throws IOException {
        // segments[0] is the API version (v59.0); the rest names the resource
        String resource = segments.length > 1 ? segments[1] : "";
        if (resource.equals("query")) {
            query(exchange, segments);
            return;
        }
        if (!resource.equals("sobjects") || segments.length < 3) {
            errors(exchange, 404, "NOT_FOUND", "The requested resource does not exist", List.of());
            return;
        }
        String object = segments[2];
        SObjectType type = store.type(object);
        switch (segments.length) {
            case 3 -> {
                if (!method.equals("POST")) {
                    errors(exchange, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed", List.of());
                    return;
                }
                String id = store.create(object, values(type, readJson(exchange)));
                sendJson(exchange, 201, Map.of("id", id, "success", true, "errors", List.of()));
            }
            case 4 -> record(exchange, method, object, segments[3]);
            case 5 -> upsert(exchange, method, type, segments[3], URLDecoder.decode(segments[4], StandardCharsets.UTF_8));
            default -> errors(exchange, 404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
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
                store.update(object, id, values(store.type(object), readJson(exchange)));
                send(exchange, 204, null, null);
            }
            case "DELETE" -> {
                store.delete(object, id);
                send(exchange, 204, null, null);
            }
            default -> errors(exchange, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed", List.of());
        }
    }

    private void upsert(HttpExchange exchange, String method, SObjectType type, String field, String value) throws IOException {
        if (!method.equals("PATCH")) {
            errors(exchange, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed", List.of());
            return;
        }
        Map<String, Object> values = values(type, readJson(exchange));
        List<Map<String, Object>> matches = store.all(type.name()).stream()
                .filter(r -> value.equals(String.valueOf(r.get(field)))).toList();
        if (matches.size() > 1) {
            sendJson(exchange, 300, matches.stream().map(r -> url(type.name(), (String) r.get("Id"))).toList());
        } else if (matches.size() == 1) {
            String id = (String) matches.get(0).get("Id");
            store.update(type.name(), id, values);
            sendJson(exchange, 200, Map.of("id", id, "success", true, "errors", List.of(), "created", false));
        } else if (field.equals("Id")) {
            errors(exchange, 404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + value, List.of());
        } else {
            values.put(field, value);
            String id = store.create(type.name(), values);
            sendJson(exchange, 201, Map.of("id", id, "success", true, "errors", List.of(), "created", true));
        }
    }

    private void query(HttpExchange exchange, String[] segments) throws IOException {
        List<Map<String, Object>> page;
        int total;
        if (segments.length == 3) {
            List<Map<String, Object>> rest = cursors.remove(segments[2]);
            if (rest == null) {
                errors(exchange, 400, "INVALID_QUERY_LOCATOR", "invalid query locator", List.of());
                return;
            }
            page = rest;
            total = -1;
        } else {
            SoqlQuery soql = SoqlQuery.parse(query(exchange, "q"));
            SObjectType type = store.type(soql.object());
            page = soql.run(store.all(type.name())).stream().map(r -> rest(type.name(), r, soql.fields())).toList();
            total = page.size();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", total >= 0 ? total : page.size());
        boolean more = page.size() > pageSize;
        body.put("done", !more);
        if (more) {
            String cursor = "01g" + UUID.randomUUID().toString().replace("-", "").substring(0, 15) + "-" + pageSize;
            cursors.put(cursor, new ArrayList<>(page.subList(pageSize, page.size())));
            body.put("nextRecordsUrl", "/services/data/" + segments[0] + "/query/" + cursor);
            page = page.subList(0, pageSize);
        }
        body.put("records", page);
        sendJson(exchange, 200, body);
    }

    /** A record as REST returns it: attributes first, dates in Salesforce's format. */
    private Map<String, Object> rest(String object, Map<String, Object> record, List<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", Map.of("type", object, "url", url(object, (String) record.get("Id"))));
        record.forEach((field, value) -> {
            if (fields == null || fields.contains(field) || field.equals("Id") && fields.contains("Id")) {
                out.put(field, value instanceof Instant instant ? SALESFORCE_TIME.format(instant) : value);
            }
        });
        return out;
    }

    private static String url(String object, String id) {
        return "/services/data/v59.0/sobjects/" + object + "/" + id;
    }

    /** Request fields, checked against the object's fields and given the object's types. */
    private static Map<String, Object> values(SObjectType type, JsonNode body) {
        Map<String, Object> values = new HashMap<>();
        body.fields().forEachRemaining(entry -> {
            if (entry.getKey().equals("attributes")) {
                return;
            }
            JsonNode value = entry.getValue();
            SObjectType.FieldType fieldType = type.fields().get(entry.getKey());
            values.put(entry.getKey(), value.isNull() ? null : switch (fieldType == null ? SObjectType.FieldType.TEXT : fieldType) {
                case NUMBER -> value.asDouble();
                case BOOLEAN -> value.asBoolean();
                default -> value.asText();
            });
        });
        return values;
    }

    private static void errors(HttpExchange exchange, int status, String code, String message, List<String> fields)
            throws IOException {
        sendJson(exchange, status, List.of(Map.of("message", message, "errorCode", code, "fields", fields)));
    }
}
