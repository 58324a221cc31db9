package io.revops.bridge.mapping;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

import io.revops.bridge.policy.BusinessException;

/**
 * One compiled JSONata mapping from mappings/. Parsed once per thread and reused: the stock jsonata: endpoint
 * recompiles per message, and a dashjoin Jsonata instance keeps per-evaluation state, so it is not shared
 * between threads. A mapping that calls $error("<reason-code>: <message>") refuses its input as a business
 * exception with that reason code (e.g. unknown-product), so a mapping can validate as well as map.
 */
public final class Mapping {
    private static final Pattern REFUSAL = Pattern.compile("(?s)([a-z][a-z0-9]*(?:-[a-z0-9]+)+): (.+)");

    private final String name;
    private final Path file;
    private final String expression;
    private final ThreadLocal<Jsonata> compiled;

    /** @param products the product catalog (mappings/products.json), bound as $products in every evaluation */
    Mapping(String name, Path file, String expression, Object products) {
        this.name = name;
        this.file = file;
        this.expression = expression;
        Jsonata.jsonata(expression); // fail fast on syntax errors, naming the file
        this.compiled = ThreadLocal.withInitial(() -> {
            Jsonata jsonata = Jsonata.jsonata(expression);
            jsonata.assign("products", products);
            return jsonata;
        });
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
        } catch (JException e) {
            Matcher refusal = REFUSAL.matcher(String.valueOf(e.getMessage()));
            if (refusal.matches()) {
                throw new BusinessException(refusal.group(1), refusal.group(2) + " (mapping " + name + ")", e);
            }
            throw new BusinessException("mapping-failed", "mapping " + name + " failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new BusinessException("mapping-failed", "mapping " + name + " failed: " + e.getMessage(), e);
        }
    }

    String expression() {
        return expression;
    }
}
