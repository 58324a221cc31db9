package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV as Bulk API 2.0 reads and writes it, one record at a time so a large upload is never held whole:
 * fields separated by the job's column delimiter, quoted with double quotes (a quote inside doubled), records ended
 * by the job's line ending. A quote left open or text after a closing quote is malformed.
 */
final class Csv {
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    private final Reader in;
    private final char delimiter;
    private final boolean crlf;
    private int peeked = -2;
    private long record;

    Csv(Reader in, char delimiter, boolean crlf) {
        this.in = in;
        this.delimiter = delimiter;
        this.crlf = crlf;
    }

    /** The delimiter character of a Bulk API columnDelimiter name (COMMA by default). */
    static Character delimiter(String name) {
        return switch (name == null ? "COMMA" : name) {
            case "COMMA" -> ',';
            case "TAB" -> '\t';
            case "PIPE" -> '|';
            case "SEMICOLON" -> ';';
            case "CARET" -> '^';
            case "BACKQUOTE" -> '`';
            default -> null;
        };
    }

    /** The next record's fields, or null at the end of the data. */
    List<String> next() throws IOException {
        if (peek() == -1) {
            return null;
        }
        record++;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            int c = read();
            if (quoted) {
                if (c == -1) {
                    throw new Malformed("Unterminated quoted field in record " + record);
                }
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append((char) c);
                }
                continue;
            }
            if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == -1 || c == '\n' || c == '\r') {
                if (c == '\r' && (!crlf || peek() != '\n')) {
                    throw new Malformed("LineEnding is invalid on user data. Current LineEnding setting is " + (crlf ? "CRLF" : "LF"));
                }
                if (c == '\n' && crlf) {
                    throw new Malformed("LineEnding is invalid on user data. Current LineEnding setting is CRLF");
                }
                if (c == '\r') {
                    read();
                }
                fields.add(field.toString());
                return fields;
            } else if (wasQuoted) {
                throw new Malformed("Invalid character after a closing quote in record " + record);
            } else {
                field.append((char) c);
            }
        }
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private int read() throws IOException {
        int c = peek();
        peeked = -2;
        return c;
    }

    /** One record as CSV text, with its line ending; fields quoted when they hold a delimiter, quote or line break. */
    static String line(List<String> fields, char delimiter, boolean crlf) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(delimiter);
            }
            String value = fields.get(i) == null ? "" : fields.get(i);
            if (value.indexOf(delimiter) >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                    || value.indexOf('\r') >= 0) {
                line.append('"').append(value.replace("\"", "\"\"")).append('"');
            } else {
                line.append(value);
            }
        }
        return line.append(crlf ? "\r\n" : "\n").toString();
    }
}
