package io.revops.bridge.canonical;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The tests' view of the checked-in JSON Schemas: the same compiled schemas the runtime enforces (CanonicalEvents). */
public final class CanonicalSchemas {
    private static final CompiledSchemas SCHEMAS = new CompiledSchemas();

    private CanonicalSchemas() {
    }

    /** @return the violations, named by JSON pointer; empty when valid */
    public static List<String> violations(String object, JsonNode data) {
        return SCHEMAS.violations(object, data);
    }

    /** The canonical object named by a CloudEvent type such as revops.account.updated.v1. */
    public static String objectOf(String cloudEventType) {
        return cloudEventType.split("\\.")[1];
    }
}
