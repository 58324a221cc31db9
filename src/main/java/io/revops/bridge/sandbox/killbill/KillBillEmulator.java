package io.revops.bridge.sandbox.killbill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.HttpEmulator;

/**
 * Kill Bill 0.22 REST, the subset the billing adapter and the tenant bootstrap use: healthcheck, tenants,
 * catalog upload, accounts (create, get by id or externalKey, update). Basic auth (admin/password) and, for
 * tenant data, the X-Killbill-ApiKey/ApiSecret headers are checked like the real server does; errors carry
 * Kill Bill's JSON error shape and codes. Accounts are kept per tenant, externalKey unique per tenant.
 */
public final class KillBillEmulator extends HttpEmulator {
    private static final String USER = "admin";
    private static final String PASSWORD = "password";
    private static final List<String> ACCOUNT_FIELDS = List.of("name", "firstNameLength", "email", "currency",
            "timeZone", "address1", "address2", "postalCode", "company", "city", "state", "country", "locale", "phone",
            "notes", "billCycleDayLocal");

    private final Map<String, String> tenantSecrets = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ObjectNode>> accountsByTenant = new ConcurrentHashMap<>();

    public KillBillEmulator(int port) {
        super(port);
    }

    /** All accounts of all tenants, as Kill Bill would return them. */
    public List<Map<String, Object>> accounts() {
        List<Map<String, Object>> all = new ArrayList<>();
        accountsByTenant.values().forEach(accounts -> accounts.values().forEach(
                a -> all.add(JSON.convertValue(a, LinkedHashMap.class))));
        return all;
    }

    @Override
    protected boolean injectsFaults(HttpExchange exchange) {
        return !exchange.getRequestURI().getPath().startsWith("/1.0/kb/tenants");
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        count(method + " " + path);
        if (path.equals("/1.0/healthcheck")) {
            sendJson(exchange, 200, Map.of("healthy", true));
            return;
        }
        if (!authenticated(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"killbill\"");
            send(exchange, 401, null, null);
            return;
        }
        if (path.equals("/1.0/kb/tenants")) {
            tenants(exchange, method);
            return;
        }
        String tenant = tenant(exchange);
        if (tenant == null) {
            send(exchange, 401, null, null);
            return;
        }
        if (path.equals("/1.0/kb/catalog/xml") && method.equals("POST")) {
            readText(exchange);
            exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/catalog");
            send(exchange, 201, null, null);
        } else if (path.equals("/1.0/kb/accounts") && method.equals("POST")) {
            createAccount(exchange, tenant);
        } else if (path.equals("/1.0/kb/accounts") && method.equals("GET")) {
            String externalKey = query(exchange, "externalKey");
            ObjectNode account = externalKey == null ? null : accounts(tenant).values().stream()
                    .filter(a -> externalKey.equals(a.path("externalKey").asText(null))).findFirst().orElse(null);
            respondAccount(exchange, account, "Account does not exist for key " + externalKey);
        } else if (path.startsWith("/1.0/kb/accounts/") && method.equals("GET")) {
            String id = path.substring("/1.0/kb/accounts/".length());
            respondAccount(exchange, accounts(tenant).get(id), "Account does not exist for id " + id);
        } else if (path.startsWith("/1.0/kb/accounts/") && method.equals("PUT")) {
            updateAccount(exchange, tenant, path.substring("/1.0/kb/accounts/".length()));
        } else {
            error(exchange, 404, "javax.ws.rs.NotFoundException", 0, "HTTP 404 Not Found");
        }
    }

    private void tenants(HttpExchange exchange, String method) throws IOException {
        if (method.equals("POST")) {
            JsonNode body = readJson(exchange);
            String apiKey = body.path("apiKey").asText();
            if (tenantSecrets.putIfAbsent(apiKey, body.path("apiSecret").asText()) != null) {
                // sic: the real 0.22 server says "null" here
                error(exchange, 409, "org.killbill.billing.tenant.api.TenantApiException", 20000,
                        "Tenant already exists for key null");
                return;
            }
            exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/tenants/" + UUID.nameUUIDFromBytes(apiKey.getBytes()));
            send(exchange, 201, null, null);
        } else {
            String apiKey = query(exchange, "apiKey");
            if (apiKey == null || !tenantSecrets.containsKey(apiKey)) {
                // the real server fails its tenant cache lookup instead of answering 404
                error(exchange, 500, "java.lang.RuntimeException", null,
                        "java.lang.IllegalStateException: TenantCacheLoader cannot find value for key " + apiKey);
                return;
            }
            sendJson(exchange, 200, Map.of("tenantId", UUID.nameUUIDFromBytes(apiKey.getBytes()).toString(),
                    "externalKey", apiKey, "apiKey", apiKey));
        }
    }

    private void createAccount(HttpExchange exchange, String tenant) throws IOException {
        JsonNode body = readJson(exchange);
        String externalKey = body.path("externalKey").asText(null);
        synchronized (this) {
            if (externalKey != null && accounts(tenant).values().stream()
                    .anyMatch(a -> externalKey.equals(a.path("externalKey").asText(null)))) {
                error(exchange, 409, "org.killbill.billing.account.api.AccountApiException", 3000,
                        "Account already exists for key " + externalKey);
                return;
            }
            String id = UUID.randomUUID().toString();
            ObjectNode account = JSON.createObjectNode();
            account.put("accountId", id);
            account.put("externalKey", externalKey == null ? id : externalKey);
            copyFields(body, account);
            account.put("referenceTime", java.time.Instant.now().toString());
            account.put("isMigrated", false);
            accounts(tenant).put(id, account);
            exchange.getResponseHeaders().set("Location", baseUrl() + "/1.0/kb/accounts/" + id);
        }
        send(exchange, 201, null, null);
    }

    private void updateAccount(HttpExchange exchange, String tenant, String id) throws IOException {
        JsonNode body = readJson(exchange);
        ObjectNode account = accounts(tenant).get(id);
        if (account == null) {
            error(exchange, 404, "org.killbill.billing.account.api.AccountApiException", 3003,
                    "Account does not exist for id " + id);
            return;
        }
        if (body.hasNonNull("currency") && account.hasNonNull("currency")
                && !body.get("currency").asText().equals(account.get("currency").asText())) {
            error(exchange, 400, "org.killbill.billing.account.api.AccountApiException", 2005,
                    "Account currency cannot be updated");
            return;
        }
        synchronized (this) {
            copyFields(body, account); // like treatNullAsReset=false: absent or null fields keep their value
        }
        send(exchange, 204, null, null);
    }

    private static void copyFields(JsonNode from, ObjectNode to) {
        for (String field : ACCOUNT_FIELDS) {
            if (from.hasNonNull(field)) {
                to.set(field, from.get(field));
            }
        }
    }

    private void respondAccount(HttpExchange exchange, ObjectNode account, String notFound) throws IOException {
        if (account == null) {
            error(exchange, 404, "org.killbill.billing.account.api.AccountApiException", 3003, notFound);
        } else {
            sendJson(exchange, 200, account);
        }
    }

    private Map<String, ObjectNode> accounts(String tenant) {
        return accountsByTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
    }

    private static boolean authenticated(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        return decoded.equals(USER + ":" + PASSWORD);
    }

    private String tenant(HttpExchange exchange) {
        String apiKey = exchange.getRequestHeaders().getFirst("X-Killbill-ApiKey");
        String apiSecret = exchange.getRequestHeaders().getFirst("X-Killbill-ApiSecret");
        return apiKey != null && apiSecret != null && apiSecret.equals(tenantSecrets.get(apiKey)) ? apiKey : null;
    }

    private static void error(HttpExchange exchange, int status, String className, Integer code, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("className", className);
        body.put("code", code);
        body.put("message", message);
        body.put("causeClassName", null);
        body.put("causeMessage", null);
        body.put("stackTrace", List.of());
        sendJson(exchange, status, body);
    }
}
