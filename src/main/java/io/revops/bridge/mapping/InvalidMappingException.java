package io.revops.bridge.mapping;

import java.nio.file.Path;

import com.dashjoin.jsonata.JException;

/**
 * A mapping file that does not compile (the message names the file, line and column) or fails a golden case
 * (line and column 0).
 */
public class InvalidMappingException extends RuntimeException {
    private final int line;
    private final int column;
    private final String problem;

    public InvalidMappingException(Path file, String expression, JException cause) {
        this(file, lineColumn(expression, cause.getLocation()), cause.getMessage(), cause);
    }

    public InvalidMappingException(String message) {
        super(message);
        this.line = 0;
        this.column = 0;
        this.problem = message;
    }

    private InvalidMappingException(Path file, int[] at, String problem, JException cause) {
        super(file + ":" + at[0] + ":" + at[1] + ": " + problem, cause);
        this.line = at[0];
        this.column = at[1];
        this.problem = problem;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the location. */
    public String problem() {
        return problem;
    }

    private static int[] lineColumn(String expression, int offset) {
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
        return new int[] {line, column};
    }
}
