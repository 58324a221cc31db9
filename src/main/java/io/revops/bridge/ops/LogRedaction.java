package io.revops.bridge.ops;

import java.util.List;
import java.util.Optional;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * The last line of defence before a log line leaves the process (console and file handlers): e-mail addresses and
 * phone numbers are masked, and the value of every configured secret of 12 characters or more (any property named
 * *password*, *secret*, *token*, *api-key*, or an operations user) is replaced by ****. Code should not log these in the first place; this catches the
 * exception message or payload fragment that does. It also escapes line breaks and other control characters (CR, LF,
 * NUL, ESC, NEL, U+2028/2029, bidirectional overrides) as \n, \r, \\uXXXX: a value from outside (a Kafka header, a
 * Salesforce field) can then never forge a line in a text log or hide text in a terminal. Messages are one line.
 */
@LoggingFilter(name = "redact")
public final class LogRedaction implements Filter {
    private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
    // international numbers (+ then digits, spaces, dots, dashes, brackets) and NANP (415) 555-0123; the last two
    // digits stay, so support can still tell two numbers apart
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(\\+\\d[\\d ().-]{5,}|\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d\\d)(\\d\\d)(?!\\w)");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|api-key|embedded\\.users\\.).*");
    // real secrets are long; the sandbox's toy values ("sandbox", "password") are words that must stay readable
    private static final int SHORTEST_SECRET = 12;

    private volatile List<String> secrets;

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            String redacted = escapeControls(redact(message));
            if (message != null && !message.equals(redacted)) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        return true;
    }

    String redact(String message) {
        if (message == null) {
            return null;
        }
        String result = message;
        for (String secret : secrets()) {
            result = result.replace(secret, "****");
        }
        result = EMAIL.matcher(result).replaceAll("$1***@$2");
        Matcher phone = PHONE.matcher(result);
        return phone.replaceAll(m -> "*".repeat(m.group(1).length()) + m.group(2));
    }

    /** Line breaks and invisible control characters as visible escapes; tabs stay. */
    static String escapeControls(String message) {
        if (message == null || message.chars().noneMatch(LogRedaction::isControl)) {
            return message;
        }
        StringBuilder escaped = new StringBuilder(message.length() + 16);
        message.chars().forEach(c -> {
            if (c == '\n') {
                escaped.append("\\n");
            } else if (c == '\r') {
                escaped.append("\\r");
            } else if (isControl(c)) {
                escaped.append(String.format("\\u%04x", c));
            } else {
                escaped.append((char) c);
            }
        });
        return escaped.toString();
    }

    private static boolean isControl(int c) {
        return c != '\t' && (c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || c == 0x2028 || c == 0x2029
                || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069);
    }

    private List<String> secrets() {
        List<String> known = secrets;
        if (known == null) {
            try {
                Config config = ConfigProvider.getConfig();
                known = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                        .filter(name -> SECRET_NAME.matcher(name).matches())
                        .flatMap(name -> valueOf(config, name).stream())
                        .filter(value -> value.length() >= SHORTEST_SECRET).distinct().toList();
                secrets = known;
            } catch (RuntimeException configNotReadyYet) {
                return List.of(); // lines logged while the runtime boots; the next line tries again
            }
        }
        return known;
    }

    private static Optional<String> valueOf(Config config, String name) {
        try {
            return config.getOptionalValue(name, String.class);
        } catch (RuntimeException unset) { // e.g. ${SALESFORCE_PASSWORD:} with nothing in the environment
            return Optional.empty();
        }
    }
}
