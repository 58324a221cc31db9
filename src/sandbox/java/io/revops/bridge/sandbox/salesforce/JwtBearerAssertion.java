package io.revops.bridge.sandbox.salesforce;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The OAuth 2.0 JWT bearer flow's assertion (RFC 7523) checked as Salesforce checks it: an RS256 signature by the key
 * of the connected app's certificate, iss the app's client id, sub the user name, aud the login URL, exp in the
 * future. Each refusal carries Salesforce's error and description.
 */
final class JwtBearerAssertion {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why the token endpoint refuses an assertion, in Salesforce's words. */
    record Refusal(String error, String description) {
    }

    private JwtBearerAssertion() {
    }

    /** Null when the assertion is good for the connected app and user; otherwise the refusal. */
    static Refusal check(String assertion, X509Certificate certificate, String loginUrl) {
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.", -1);
        if (parts.length != 3) {
            return invalidAssertion();
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = JSON.readTree(decode(parts[0]));
            claims = JSON.readTree(decode(parts[1]));
            signature = decode(parts[2]);
        } catch (Exception e) {
            return invalidAssertion();
        }
        if (header == null || claims == null || !header.path("alg").asText().equals("RS256")) {
            return invalidAssertion();
        }
        if (!ConnectedApp.knownClient(claims.path("iss").asText(null))) {
            return new Refusal("invalid_client_id", "client identifier invalid");
        }
        if (certificate == null || !signedBy(certificate, parts[0] + "." + parts[1], signature)) {
            return invalidAssertion();
        }
        if (!audienceMatches(claims.path("aud"), loginUrl)) {
            return new Refusal("invalid_grant", "audience is invalid");
        }
        Long expires = epochSeconds(claims.path("exp"));
        if (expires == null) {
            return invalidAssertion();
        }
        if (Instant.now().getEpochSecond() >= expires) {
            return new Refusal("invalid_grant", "expired access/refresh token");
        }
        if (!ConnectedApp.USER_NAME.equals(claims.path("sub").asText(null))) {
            return new Refusal("invalid_grant", "user hasn't approved this consumer");
        }
        return null;
    }

    private static Refusal invalidAssertion() {
        return new Refusal("invalid_grant", "invalid assertion");
    }

    private static byte[] decode(String base64Url) {
        return Base64.getUrlDecoder().decode(base64Url.replace("=", "").getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean signedBy(X509Certificate certificate, String signed, byte[] signature) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(certificate.getPublicKey());
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** aud is a string or an array of strings (RFC 7519); the login URL with or without a trailing slash. */
    private static boolean audienceMatches(JsonNode audience, String loginUrl) {
        if (audience.isArray()) {
            for (JsonNode one : audience) {
                if (audienceMatches(one, loginUrl)) {
                    return true;
                }
            }
            return false;
        }
        return audience.isTextual() && audience.asText().replaceFirst("/$", "").equals(loginUrl);
    }

    /** exp as a number or, as camel-salesforce writes it, a string of digits. */
    private static Long epochSeconds(JsonNode exp) {
        if (exp.isIntegralNumber()) {
            return exp.asLong();
        }
        if (exp.isTextual() && exp.asText().matches("\\d{1,18}")) {
            return Long.parseLong(exp.asText());
        }
        return null;
    }
}
