package io.revops.bridge.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How text from the outside (headers, keys, payloads of any length and content) is stored in the runtime database.
 * <ul>
 * <li>{@link #escape}/{@link #unescape}: PostgreSQL refuses NUL (U+0000) in text, so NUL is stored as "␀0" and the
 * escape character ␀ (U+2400, SYMBOL FOR NULL) itself as "␀␀". Exactly reversible; text without NUL or ␀ (all real
 * traffic) is stored unchanged. Both databases store the same form.</li>
 * <li>{@link #keyOf}: the bounded form that is indexed and unique-constrained (VARCHAR(255) key columns): the value
 * itself when it has at most 255 characters and no NUL, else "sha256:" + the hex SHA-256 of its UTF-8 bytes.</li>
 * </ul>
 */
public final class StoredText {
    static final char ESCAPE = '\u2400';
    static final int MAX_KEY = 255;

    private StoredText() {
    }

    public static String escape(String text) {
        if (text == null || (text.indexOf('\0') < 0 && text.indexOf(ESCAPE) < 0)) {
            return text;
        }
        StringBuilder stored = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                stored.append(ESCAPE).append('0');
            } else if (c == ESCAPE) {
                stored.append(ESCAPE).append(ESCAPE);
            } else {
                stored.append(c);
            }
        }
        return stored.toString();
    }

    public static String unescape(String stored) {
        if (stored == null || stored.indexOf(ESCAPE) < 0) {
            return stored;
        }
        StringBuilder text = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c == ESCAPE && i + 1 < stored.length()) {
                text.append(stored.charAt(++i) == '0' ? '\0' : ESCAPE);
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    /** The indexed form of a key or id; null stays null. */
    public static String keyOf(String value) {
        if (value == null) {
            return null;
        }
        return value.length() <= MAX_KEY && value.indexOf('\0') < 0 ? value : "sha256:" + sha256(value);
    }

    /** Hex SHA-256 of the UTF-8 bytes of {@code text} (an empty text for null). */
    public static String sha256(String text) {
        return sha256(text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException notInThisJvm) {
            throw new IllegalStateException("SHA-256 is required of every JVM", notInThisJvm);
        }
    }
}
