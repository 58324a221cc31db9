package io.revops.bridge.mapping;

import java.nio.file.Path;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

import io.revops.bridge.policy.BusinessException;

/**
 * One compiled JSONata mapping from mappings/. Parsed once per thread and reused: the stock jsonata: endpoint
 * recompiles per message, and a dashjoin Jsonata instance keeps per-evaluation state, so it is not shared
 * between threads.
 */
public final class Mapping {
    private final String name;
    private final Path file;
    private final String expression;
    private final ThreadLocal<Jsonata> compiled;

    Mapping(String name, Path file, String expression) {
        this.name = name;
        this.file = file;
        this.expression = expression;
        Jsonata.jsonata(expression); // fail fast on syntax errors, naming the file
        this.compiled = ThreadLocal.withInitial(() -> Jsonata.jsonata(expression));
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /** Applies the mapping to JSON-shaped input (Map, List, String, Number, Boolean). */
    public Object apply(Object input) {
        try {
            return compiled.get().evaluate(input);
        } catch (JException | IllegalArgumentException | ClassCastException e) {
            throw new BusinessException("mapping-failed", "mapping " + name + " failed: " + e.getMessage(), e);
        }
    }

    String expression() {
        return expression;
    }
}
