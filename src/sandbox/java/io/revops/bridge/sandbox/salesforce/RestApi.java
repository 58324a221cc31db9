package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.HttpEmulator;
import io.revops.bridge.sandbox.salesforce.SObjectStore.SObjectException;

/**
 * The org's HTTPS endpoint: login ({@link OAuthEndpoints}, {@link SoapLogin}) and the REST API
 * (/services/data/vNN.N/), whose calls need a live session ({@link Sessions}), dispatching to discovery
 * ({@link Discovery}), the sObject and SOQL resources ({@link SObjectResource}), the composite resources
 * ({@link CompositeResource}) and Bulk API 2.0 ({@link BulkApi}). Responses, status codes and error bodies
 * ([{message, errorCode, fields}]) are Salesforce's; every answer carries Sforce-Limit-Info.
 */
final class RestApi extends HttpEmulator {
    private final SObjectResource sobjects;
    private final CompositeResource composite;
    private final BulkApi bulk;
    private final Discovery discovery;
    private final Sessions sessions;
    private final OAuthEndpoints oauth;
    private final SoapLogin soap;
    private final SelfSignedCertificate certificate;
    private final AtomicInteger apiUsage = new AtomicInteger();

    RestApi(int port, SObjectStore store, Sessions sessions, ConnectedApp app, SelfSignedCertificate certificate) {
        super(port);
        this.sessions = sessions;
        this.oauth = new OAuthEndpoints(sessions, app, this::baseUrl);
        this.soap = new SoapLogin(sessions, this::baseUrl);
        this.certificate = certificate;
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
        if (path.equals("/services/data") || path.equals("/services/data/")) {
            // the versions list needs no session, as in a real org
            sendJson(exchange, 200, Discovery.versions());
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
        String pathAfterData = path.substring("/services/data/".length());
        String origin = ChangeOrigin.rest(pathAfterData.split("/")[0].replaceFirst("^v", ""),
                exchange.getRequestHeaders().getFirst("Sforce-Call-Options"));
        try {
            ChangeOrigin.during(origin, () -> data(exchange, method, pathAfterData));
        } catch (SObjectException e) {
            errors(exchange, e.status, e.errorCode, e.getMessage(), e.fields);
        }
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
}
