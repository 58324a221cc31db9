package io.revops.bridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.canonical.CanonicalSchemas;
import io.revops.bridge.policy.BusinessException;

/**
 * Runs every golden case under mappings/: for mappings/<system>/<name>.jsonata, each file in
 * mappings/<system>/<name>.cases/ holds an input and either the expected output or the expected error.
 * Canonical events a mapping produces must also validate against their JSON Schema.
 */
class MappingGoldenCasesTest {
    private static final Path ROOT = Path.of("mappings");
    private final Json json = new Json();
    private final Mappings mappings = new Mappings(ROOT);

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<Path> cases;
        try (Stream<Path> files = Files.walk(ROOT)) {
            cases = files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().endsWith(".cases"))
                    .filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(cases).as("golden cases under " + ROOT.toAbsolutePath()).isNotEmpty();
        return cases.stream().map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () -> run(file)));
    }

    private void run(Path caseFile) throws IOException {
        String dir = caseFile.getParent().getFileName().toString();
        String name = ROOT.relativize(caseFile.getParent().getParent()) + "/" + dir.substring(0, dir.length() - ".cases".length());
        Mapping mapping = mappings.get(name);
        JsonNode goldenCase = json.mapper().readTree(caseFile.toFile());
        Object input = json.mapper().convertValue(goldenCase.get("input"), Object.class);
        if (goldenCase.has("expectedError")) {
            assertThatThrownBy(() -> mapping.apply(input)).isInstanceOf(BusinessException.class)
                    .hasMessageContaining(goldenCase.get("expectedError").asText());
            return;
        }
        JsonNode actual = json.mapper().valueToTree(mapping.apply(input));
        assertThat(JsonTrees.equal(actual, goldenCase.get("expected")))
                .as("%s%n expected: %s%n actual:   %s", caseFile, goldenCase.get("expected"), actual).isTrue();
        for (JsonNode event : actual.isArray() ? actual : List.of(actual)) {
            if (event.has("type") && event.has("data")) {
                String object = CanonicalSchemas.objectOf(event.get("type").asText());
                assertThat(CanonicalSchemas.violations(object, event.get("data"))).as(caseFile + " schema").isEmpty();
            }
        }
    }
}
