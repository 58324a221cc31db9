package io.revops.bridge.mapping;

import java.nio.file.Path;

import com.dashjoin.jsonata.JException;

/** A mapping file that does not compile (the message names the file, line and column) or fails a golden case. */
public class InvalidMappingException extends RuntimeException {
    public InvalidMappingException(Path file, String expression, JException cause) {
        super(file + ":" + position(expression, cause.getLocation()) + ": " + cause.getMessage(), cause);
    }

    public InvalidMappingException(String message) {
        super(message);
    }

    private static String position(String expression, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(Math.max(offset, 0), expression.length()); i++) {
            if (expression.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return line + ":" + column;
    }
}
