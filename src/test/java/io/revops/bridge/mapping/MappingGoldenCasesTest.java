package io.revops.bridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.canonical.CanonicalSchemas;

/**
 * Runs every golden case under mappings/ (see {@link GoldenCases}). Canonical events a mapping produces must also
 * validate against their JSON Schema.
 */
class MappingGoldenCasesTest {
    private static final Path ROOT = Path.of("mappings");
    private final Mappings mappings = new Mappings(ROOT);

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        List<Path> cases = GoldenCases.all(ROOT);
        assertThat(cases).as("golden cases under " + ROOT.toAbsolutePath()).isNotEmpty();
        return cases.stream().map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () -> run(file)));
    }

    private void run(Path caseFile) {
        GoldenCases.Outcome outcome = GoldenCases.run(mappings.get(GoldenCases.mappingOf(ROOT, caseFile)), caseFile);
        assertThat(outcome.failure()).as(caseFile.toString()).isNull();
        JsonNode actual = outcome.actual();
        for (JsonNode event : actual == null ? List.<JsonNode>of() : actual.isArray() ? actual : List.of(actual)) {
            if (event.has("type") && event.has("data")) {
                String object = CanonicalSchemas.objectOf(event.get("type").asText());
                assertThat(CanonicalSchemas.violations(object, event.get("data"))).as(caseFile + " schema").isEmpty();
            }
        }
    }
}
