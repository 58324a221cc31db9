package io.revops.bridge.sandbox.salesforce;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The org's sessions: access tokens (OAuth and SOAP login alike) that expire a session timeout after they were
 * issued, and refresh tokens that live until revoked. A real org extends a session while it is used; this one does
 * not, so a client's re-login path runs on schedule instead of once in a blue moon.
 */
final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An access token's end, and the refresh token it was issued from (revoking that ends it too). */
    private record Session(Instant expires, String refreshToken) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refreshTokens = new ConcurrentHashMap<>(Map.of(ConnectedApp.REFRESH_TOKEN, true));
    private final AtomicInteger issued = new AtomicInteger();
    private volatile Duration timeout = Duration.ofHours(2);

    void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** A new access token, as Salesforce shapes them: the 15-character org id, '!', an opaque part. */
    String issue(String refreshToken) {
        byte[] random = new byte[48];
        RANDOM.nextBytes(random);
        String token = ConnectedApp.ORG_ID.substring(0, 15) + "!" + HexFormat.of().formatHex(random);
        sessions.put(token, new Session(Instant.now().plus(timeout), refreshToken));
        issued.incrementAndGet();
        return token;
    }

    boolean valid(String accessToken) {
        Session session = accessToken == null ? null : sessions.get(accessToken);
        if (session == null) {
            return false;
        }
        if (Instant.now().isBefore(session.expires())) {
            return true;
        }
        sessions.remove(accessToken);
        return false;
    }

    boolean validRefreshToken(String refreshToken) {
        return refreshToken != null && refreshTokens.containsKey(refreshToken);
    }

    /** Ends an access token, or a refresh token and every session issued from it; false when it is unknown. */
    boolean revoke(String token) {
        if (token == null) {
            return false;
        }
        if (refreshTokens.remove(token) != null) {
            sessions.values().removeIf(session -> token.equals(session.refreshToken()));
            return true;
        }
        Session session = sessions.remove(token);
        return session != null && Instant.now().isBefore(session.expires());
    }

    /** How many access tokens the org has issued since it started. */
    int issuedCount() {
        return issued.get();
    }
}
