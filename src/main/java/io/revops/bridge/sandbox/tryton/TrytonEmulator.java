package io.revops.bridge.sandbox.tryton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.revops.bridge.sandbox.HttpEmulator;

/**
 * Tryton 6.0 JSON-RPC (POST /{database}/), the subset the ERP adapter uses: login with session authentication,
 * user preferences as context, and party.party search/read/create/write with identifiers and addresses as
 * x2many values. Parties get their code from a sequence like Tryton's default party sequence; searches skip
 * inactive parties unless the context says active_test=false; errors have Tryton's [type, [message, ...]] shape.
 */
public final class TrytonEmulator extends HttpEmulator {
    private static final String USER = "admin";
    private static final String PASSWORD = "admin";
    private static final int USER_ID = 1;

    private final String database;
    private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    private final PartyStore parties = new PartyStore();

    public TrytonEmulator(int port, String database) {
        super(port);
        this.database = database;
    }

    /** The parties as Tryton holds them: id, code, name, active, identifiers (codes), addresses. */
    public List<Map<String, Object>> parties() {
        return parties.snapshot();
    }

    @Override
    protected boolean injectsFaults(HttpExchange exchange) {
        return exchange.getRequestHeaders().containsKey("Authorization"); // logins are spared
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/" + database + "/")) {
            send(exchange, 404, "text/plain", "Not Found");
            return;
        }
        JsonNode request = readJson(exchange);
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        count(method);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", request.get("id"));
        if (method.equals("common.db.login")) {
            if (!USER.equals(params.path(0).asText()) || !PASSWORD.equals(params.path(1).path("password").asText())) {
                send(exchange, 401, "text/plain", "Unauthorized");
                return;
            }
            String key = UUID.randomUUID().toString().replace("-", "");
            sessions.put(key, true);
            response.put("result", List.of(USER_ID, key));
            sendJson(exchange, 200, response);
            return;
        }
        if (method.equals("common.server.version")) {
            response.put("result", "6.0.29");
            sendJson(exchange, 200, response);
            return;
        }
        if (!authenticated(exchange)) {
            send(exchange, 401, "text/plain", "Unauthorized");
            return;
        }
        try {
            response.put("result", dispatch(method, params));
        } catch (TrytonError e) {
            response.put("error", List.of(e.type, java.util.Arrays.asList(e.getMessage(), "", null)));
        }
        sendJson(exchange, 200, response);
    }

    private Object dispatch(String method, JsonNode params) {
        JsonNode context = params.isEmpty() ? JSON.createObjectNode() : params.get(params.size() - 1);
        boolean activeOnly = context.path("active_test").asBoolean(true);
        return switch (method) {
            case "model.res.user.get_preferences" -> Map.of("company", 1, "language", "en", "language_direction", "ltr",
                    "locale", Map.of("date", "%m/%d/%Y"), "company.rec_name", "Example ERP Inc");
            case "model.party.party.search" -> parties.search(params.get(0), activeOnly);
            case "model.party.party.read" -> parties.read(params.get(0), params.get(1));
            case "model.party.party.create" -> parties.create(params.get(0));
            case "model.party.party.write" -> {
                parties.write(params.get(0), params.get(1));
                yield null;
            }
            case "model.party.address.read" -> parties.readAddresses(params.get(0), params.get(1));
            default -> throw new TrytonError("UserError", "Calling method " + method + " is not allowed.");
        };
    }

    private boolean authenticated(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Session ")) {
            return false;
        }
        String[] parts = new String(Base64.getDecoder().decode(header.substring(8)), StandardCharsets.UTF_8).split(":");
        return parts.length == 3 && parts[0].equals(USER) && parts[1].equals(String.valueOf(USER_ID))
                && sessions.containsKey(parts[2]);
    }

    /** A Tryton exception reported in the JSON-RPC error member. */
    static final class TrytonError extends RuntimeException {
        final String type;

        TrytonError(String type, String message) {
            super(message);
            this.type = type;
        }
    }
}
