package io.revops.bridge.canonical;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The canonical JSON Schemas (src/main/resources/canonical/<object>.v1.json), compiled once; formats (date,
 * date-time) are asserted, and violations are named by JSON pointer.
 */
final class CompiledSchemas {
    private static final String BASE = "https://revops.io/canonical/";
    private final Map<String, JsonSchema> schemas;

    CompiledSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE, "classpath:canonical/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true).locale(Locale.ENGLISH).build();
        schemas = EventAttributes.TYPES.keySet().stream().collect(Collectors.toUnmodifiableMap(object -> object,
                object -> {
                    JsonSchema schema = factory.getSchema(SchemaLocation.of(BASE + object + ".v1.json"), config);
                    schema.initializeValidators(); // resolve every $ref now, not on the first event
                    return schema;
                }));
    }

    /** The violations of one canonical object, in a stable order; empty when it is valid. */
    List<String> violations(String object, JsonNode data) {
        Set<ValidationMessage> messages = schemas.get(object).validate(data);
        // the object itself has the empty pointer: "data" names it
        return messages.stream().map(ValidationMessage::getMessage)
                .map(message -> message.startsWith(":") ? "data" + message : message).sorted().toList();
    }
}
