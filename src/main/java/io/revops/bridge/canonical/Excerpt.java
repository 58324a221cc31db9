package io.revops.bridge.canonical;

/**
 * Renders a piece of hostile input for a refusal message: at most a few dozen characters, control and bidirectional
 * characters escaped as \\uXXXX, so a message naming a bad value stays short, on one line and readable as written.
 */
final class Excerpt {
    static final int MAX = 40;

    private Excerpt() {
    }

    static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        if (text.length() <= MAX) {
            return escape(text);
        }
        return escape(cut(text, MAX)) + "... (" + text.length() + " characters)";
    }

    /** Bounds a whole message (schema messages can quote property names of any length). */
    static String bounded(String message, int max) {
        return message.length() > max ? escape(cut(message, max)) + "..." : escape(message);
    }

    /** The first {@code length} characters, one less rather than half a surrogate pair. */
    private static String cut(String text, int length) {
        return text.substring(0, Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length);
    }

    static boolean containsUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(isUnsafe(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** C0/C1 controls, and the bidirectional formatting characters that reorder what a reader sees. */
    private static boolean isUnsafe(char c) {
        return Character.isISOControl(c) || (c >= '\u200E' && c <= '\u200F') || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069') || c == '\u061C';
    }
}
