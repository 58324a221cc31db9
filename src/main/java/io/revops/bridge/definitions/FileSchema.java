package io.revops.bridge.definitions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;

/**
 * A JSON Schema that a file an engineer edits must follow, applied strictly (no coercion between numbers, strings and
 * booleans) and reported as file:line:column, as the engineer's editor shows it. Each schema is loaded once.
 */
final class FileSchema {
    /**
     * Camel's own schema of the YAML DSL (in camel-yaml-dsl; the schema editors and Kaoto apply to *.camel.yaml).
     * Camel itself accepts {@code redeliveryDelay: 250}; the schema wants a string there, and an engineer whose
     * editor paints the file red stops trusting it.
     */
    static final FileSchema CAMEL_YAML_DSL = new FileSchema("schema/camelYamlDsl.json", VersionFlag.V4, "Camel YAML DSL schema");
    static final FileSchema PRODUCTS = new FileSchema("schemas/products.schema.json", VersionFlag.V202012, "products.schema.json");
    static final FileSchema OWNERSHIP = new FileSchema("schemas/ownership.schema.json", VersionFlag.V202012, "ownership.schema.json");
    static final FileSchema GOLDEN_CASE = new FileSchema("schemas/golden-case.schema.json", VersionFlag.V202012, "golden-case.schema.json");

    /** Keywords that only say "one of the alternatives failed": their alternatives' own messages say why. */
    private static final Set<String> SUMMARY_KEYWORDS = Set.of("oneOf", "anyOf", "not", "allOf");
    private static final int MAX_PER_FILE = 20;

    private final JsonSchema schema;
    private final String label;

    private FileSchema(String resource, VersionFlag version, String label) {
        this.schema = load(resource, version);
        this.label = label;
    }

    List<Problem> check(Path file, YamlTree tree) {
        Map<String, List<ValidationMessage>> byLocation = new LinkedHashMap<>();
        for (ValidationMessage message : schema.validate(tree.root)) {
            byLocation.computeIfAbsent(locationOf(message), at -> new ArrayList<>()).add(message);
        }
        Set<String> problems = new LinkedHashSet<>();
        List<Problem> found = new ArrayList<>();
        byLocation.forEach((pointer, messages) -> {
            // a summary, or what one alternative of a oneOf/anyOf wanted, adds nothing where something more precise
            // is said about the same value or a value below it
            boolean precise = messages.stream().anyMatch(m -> !isAlternative(m));
            boolean below = byLocation.keySet().stream().anyMatch(other -> other.startsWith(pointer + "/"));
            for (ValidationMessage message : messages) {
                if (isAlternative(message) && (precise || below)) {
                    continue;
                }
                int[] position = tree.positionOf(pointer);
                Problem problem = new Problem(file, position[0], position[1], label + ": " + describe(pointer, message));
                if (problems.add(problem.toString())) {
                    found.add(problem);
                }
            }
        });
        found.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return found.size() <= MAX_PER_FILE ? found : found.subList(0, MAX_PER_FILE);
    }

    /** Where the engineer must look: an unknown property is shown at that property, not at the object holding it. */
    private static String locationOf(ValidationMessage message) {
        String pointer = message.getInstanceLocation().toString();
        boolean unknownProperty = "additionalProperties".equals(message.getType()) || "unevaluatedProperties".equals(message.getType());
        return unknownProperty && message.getProperty() != null ? pointer + "/" + message.getProperty() : pointer;
    }

    private static boolean isAlternative(ValidationMessage message) {
        String path = message.getEvaluationPath().toString();
        return SUMMARY_KEYWORDS.contains(message.getType()) || path.contains("/oneOf/") || path.contains("/anyOf/");
    }

    private static String describe(String pointer, ValidationMessage message) {
        String property = pointer.isEmpty() ? "(document)" : pointer.substring(pointer.lastIndexOf('/') + 1);
        String text = message.getMessage();
        // networknt starts its messages with the instance location, which file:line:column already says
        String instance = message.getInstanceLocation().toString();
        text = text.startsWith(instance) ? text.substring(instance.length()).replaceFirst("^:\\s*", "") : text;
        return property + ": " + text;
    }

    private static JsonSchema load(String resource, VersionFlag version) {
        try (InputStream in = FileSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .typeLoose(false)
                    .build();
            return JsonSchemaFactory.getInstance(version).getSchema(new ObjectMapper().readTree(in), config);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
