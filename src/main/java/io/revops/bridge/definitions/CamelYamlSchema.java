package io.revops.bridge.definitions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Camel's own JSON Schema of the YAML DSL ({@code schema/camelYamlDsl.json} in camel-yaml-dsl, the schema editors and
 * Kaoto apply to every {@code *.camel.yaml}), applied strictly: no coercion between numbers, strings and booleans.
 * Camel itself accepts {@code redeliveryDelay: 250}; the schema wants a string there, and an engineer whose editor
 * paints the file red stops trusting it. Loaded once.
 */
final class CamelYamlSchema {
    static final String LOCATION = "schema/camelYamlDsl.json";
    /** Keywords that only say "one of the alternatives failed": their alternatives' own messages say why. */
    private static final Set<String> SUMMARY_KEYWORDS = Set.of("oneOf", "anyOf", "not", "allOf");
    private static final int MAX_PER_FILE = 20;
    private static final JsonSchema SCHEMA = load();

    private CamelYamlSchema() {
    }

    static List<Problem> check(Path file, YamlTree tree) {
        Map<String, ValidationMessage> byLocation = new LinkedHashMap<>();
        for (ValidationMessage message : SCHEMA.validate(tree.root)) {
            String pointer = message.getInstanceLocation().toString();
            ValidationMessage known = byLocation.get(pointer);
            if (known == null || SUMMARY_KEYWORDS.contains(known.getType()) && !SUMMARY_KEYWORDS.contains(message.getType())) {
                byLocation.put(pointer, message);
            }
        }
        // a summary, or what one alternative of a oneOf/anyOf wanted, adds nothing where a value below it is wrong
        byLocation.entrySet().removeIf(entry -> isAlternative(entry.getValue())
                && byLocation.keySet().stream().anyMatch(other -> other.startsWith(entry.getKey() + "/")));
        List<Problem> problems = new ArrayList<>();
        byLocation.forEach((pointer, message) -> {
            int[] position = tree.positionOf(pointer);
            problems.add(new Problem(file, position[0], position[1], "Camel YAML DSL schema: " + describe(pointer, message)));
        });
        problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return problems.size() <= MAX_PER_FILE ? problems : problems.subList(0, MAX_PER_FILE);
    }

    private static boolean isAlternative(ValidationMessage message) {
        String path = message.getEvaluationPath().toString();
        return SUMMARY_KEYWORDS.contains(message.getType()) || path.contains("/oneOf/") || path.contains("/anyOf/");
    }

    private static String describe(String pointer, ValidationMessage message) {
        String property = pointer.substring(pointer.lastIndexOf('/') + 1);
        String text = message.getMessage();
        // networknt prefixes its messages with the instance location, which file:line:column already says
        text = text.startsWith(pointer) ? text.substring(pointer.length()).replaceFirst("^:\\s*", "") : text;
        return property + ": " + text;
    }

    private static JsonSchema load() {
        try (InputStream in = CamelYamlSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is not on the classpath (camel-yaml-dsl)");
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .typeLoose(false)
                    .build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                    .getSchema(new ObjectMapper().readTree(in), config);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + LOCATION, e);
        }
    }
}
