package io.revops.bridge.canonical;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Validates canonical objects against the checked-in JSON Schemas (src/main/resources/canonical). */
public final class CanonicalSchemas {
    private static final String BASE = "https://revops.io/canonical/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE, "classpath:canonical/")));
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private CanonicalSchemas() {
    }

    /** @return the violations; empty when valid */
    public static Set<ValidationMessage> violations(String object, JsonNode data) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(object,
                name -> FACTORY.getSchema(SchemaLocation.of(BASE + name + ".v1.json")));
        return schema.validate(data);
    }

    /** The canonical object named by a CloudEvent type such as revops.account.updated.v1. */
    public static String objectOf(String cloudEventType) {
        return cloudEventType.split("\\.")[1];
    }
}
