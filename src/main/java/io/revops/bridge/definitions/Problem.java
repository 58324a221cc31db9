package io.revops.bridge.definitions;

import java.nio.file.Path;

/** Something wrong in a route or mapping file, located the way editors and CI logs show it: file:line:column. */
public record Problem(Path file, int line, int column, String message) {
    public static Problem in(Path file, String message) {
        return new Problem(file, 0, 0, message);
    }

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message;
    }
}
