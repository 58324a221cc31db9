package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;

/**
 * The org's OAuth 2.0 endpoints: /services/oauth2/token (password, client credentials, refresh token and JWT bearer
 * grants), /services/oauth2/revoke (POST form or GET query), /services/oauth2/userinfo and the identity URL
 * /id/{orgId}/{userId}. Refusals carry Salesforce's error codes and descriptions.
 */
final class OAuthEndpoints {
    private static final String TOKEN = "/services/oauth2/token";
    private static final String REVOKE = "/services/oauth2/revoke";
    private static final String USER_INFO = "/services/oauth2/userinfo";
    private static final String IDENTITY = "/id/";

    private final Sessions sessions;
    private final ConnectedApp app;
    private final Supplier<String> baseUrl;

    OAuthEndpoints(Sessions sessions, ConnectedApp app, Supplier<String> baseUrl) {
        this.sessions = sessions;
        this.app = app;
        this.baseUrl = baseUrl;
    }

    static boolean handles(String path) {
        return path.equals(TOKEN) || path.equals(REVOKE) || path.equals(USER_INFO) || path.startsWith(IDENTITY);
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case TOKEN -> token(exchange);
            case REVOKE -> revoke(exchange);
            case USER_INFO -> identity(exchange, true);
            default -> identity(exchange, false);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            refuse(exchange, "invalid_request", "must use HTTP POST");
            return;
        }
        Map<String, String> form = HttpReplies.form(HttpReplies.body(exchange));
        String grantType = String.valueOf(form.get("grant_type"));
        if (grantType.equals(JwtBearerAssertion.GRANT_TYPE)) {
            JwtBearerAssertion.Refusal refusal = JwtBearerAssertion.check(form.get("assertion"), app.certificate(), baseUrl.get());
            if (refusal != null) {
                refuse(exchange, refusal.error(), refusal.description());
            } else {
                issue(exchange, null);
            }
            return;
        }
        if (!grantType.equals("password") && !grantType.equals("client_credentials") && !grantType.equals("refresh_token")) {
            refuse(exchange, "unsupported_grant_type", "grant type not supported");
            return;
        }
        if (!ConnectedApp.knownClient(form.get("client_id"))) {
            refuse(exchange, "invalid_client_id", "client identifier invalid");
            return;
        }
        // a refresh token may be redeemed without the secret (public clients); a wrong secret is refused all the same
        boolean secretRequired = !grantType.equals("refresh_token") || form.containsKey("client_secret");
        if (secretRequired && !ConnectedApp.validSecret(form.get("client_secret"))) {
            refuse(exchange, "invalid_client", "invalid client credentials");
            return;
        }
        switch (grantType) {
            case "password" -> {
                if (ConnectedApp.validUser(form.get("username"), form.get("password"))) {
                    issue(exchange, null);
                } else {
                    refuse(exchange, "invalid_grant", "authentication failure");
                }
            }
            case "refresh_token" -> {
                if (sessions.validRefreshToken(form.get("refresh_token"))) {
                    issue(exchange, form.get("refresh_token"));
                } else {
                    refuse(exchange, "invalid_grant", "expired access/refresh token");
                }
            }
            default -> issue(exchange, null);
        }
    }

    /** A token response as Salesforce's: no refresh token for these grants (a real org gives none either). */
    private void issue(HttpExchange exchange, String refreshToken) throws IOException {
        String id = Identity.url(baseUrl.get());
        String issuedAt = String.valueOf(System.currentTimeMillis());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", sessions.issue(refreshToken));
        body.put("instance_url", baseUrl.get());
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        body.put("signature", signature(id + issuedAt));
        HttpReplies.json(exchange, 200, body);
    }

    /** Base64 HMAC-SHA256 of id and issued_at keyed with the client secret: how a client checks the response. */
    private static String signature(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ConnectedApp.CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void revoke(HttpExchange exchange) throws IOException {
        String token = HttpReplies.form(exchange.getRequestURI().getRawQuery()).get("token");
        if (token == null && exchange.getRequestMethod().equals("POST")) {
            token = HttpReplies.form(HttpReplies.body(exchange)).get("token");
        }
        if (sessions.revoke(token)) {
            HttpReplies.send(exchange, 200, null, null);
        } else if (token != null && token.matches("00D\\w{12}!\\S+|5Aep\\S+")) {
            refuseRevoke(exchange, "invalid_token", "invalid token");
        } else {
            refuseRevoke(exchange, "unsupported_token_type", "this token type is not supported");
        }
    }

    /** Revoke's refusals are form-encoded, not JSON, on a real org (clients such as jsforce parse them so). */
    private static void refuseRevoke(HttpExchange exchange, String error, String description) throws IOException {
        HttpReplies.send(exchange, 400, "application/x-www-form-urlencoded", "error=" + error + "&error_description="
                + URLEncoder.encode(description, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /**
     * The identity URL or userinfo for the token's user. Like Salesforce's identity service, refusals are plain-text
     * 403s (Missing_OAuth_Token, Bad_OAuth_Token, Wrong_Org) and an unknown user is 404 Bad_Id.
     */
    private void identity(HttpExchange exchange, boolean userInfo) throws IOException {
        String token = HttpReplies.bearerToken(exchange);
        if (token == null) {
            token = HttpReplies.form(exchange.getRequestURI().getRawQuery()).get("oauth_token");
        }
        if (token == null) {
            HttpReplies.send(exchange, 403, "text/plain", "Missing_OAuth_Token");
            return;
        }
        if (!sessions.valid(token)) {
            HttpReplies.send(exchange, 403, "text/plain", "Bad_OAuth_Token");
            return;
        }
        if (userInfo) {
            HttpReplies.json(exchange, 200, Identity.userInfo(baseUrl.get()));
            return;
        }
        String[] ids = exchange.getRequestURI().getPath().substring(IDENTITY.length()).split("/");
        if (ids.length != 2 || !sameId(ids[0], ConnectedApp.ORG_ID)) {
            HttpReplies.send(exchange, 403, "text/plain", "Wrong_Org");
        } else if (!sameId(ids[1], ConnectedApp.USER_ID)) {
            HttpReplies.send(exchange, 404, "text/plain", "Bad_Id");
        } else {
            HttpReplies.json(exchange, 200, Identity.identity(baseUrl.get()));
        }
    }

    /** Salesforce ids match in their 15-character case-sensitive form or their 18-character form. */
    private static boolean sameId(String given, String id) {
        return given.equals(id) || given.equals(id.substring(0, 15));
    }

    private static void refuse(HttpExchange exchange, String error, String description) throws IOException {
        HttpReplies.json(exchange, 400, Map.of("error", error, "error_description", description));
    }
}
