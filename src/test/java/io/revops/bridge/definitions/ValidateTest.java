package io.revops.bridge.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation command on copies of routes/ and mappings/, broken on purpose. */
class ValidateTest {
    @TempDir
    Path work;
    private Path routes;
    private Path mappings;

    @BeforeEach
    void copyTheRealFiles() throws IOException {
        routes = copy(Path.of("routes"), work.resolve("routes"));
        mappings = copy(Path.of("mappings"), work.resolve("mappings"));
    }

    @Test
    void theRepositorysRoutesAndMappingsAreValid() throws IOException {
        assertThat(Validate.run(Path.of("routes"), Path.of("mappings"))).isEmpty();
    }

    @Test
    void aRouteThatIsNotYamlIsRejectedWithFileAndLine() throws IOException {
        Path file = routes.resolve("billing-account-sync.camel.yaml");
        replace(file, "      steps:\n", "      steps:\n   broken: [\n");
        assertThat(Validate.run(routes, mappings)).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(file);
            assertThat(problem.line()).isEqualTo(lineOf(file, "   broken: ["));
            assertThat(problem.toString()).startsWith(file + ":" + problem.line() + ":").contains("not valid YAML");
        });
    }

    @Test
    void aRouteWithAnUnknownStepIsRejectedWithFileAndLine() throws IOException {
        Path file = routes.resolve("erp-account-sync.camel.yaml");
        replace(file, "- idempotentConsumer:", "- idempotentConsumr:");
        assertThat(Validate.run(routes, mappings)).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(file);
            assertThat(problem.line()).isEqualTo(lineOf(file, "idempotentConsumr"));
            assertThat(problem.message()).contains("idempotentConsumr");
        });
    }

    @Test
    void aRouteWhoseIdIsNotItsFileNameOrThatPointsToAMissingMappingIsRejected() throws IOException {
        Path file = routes.resolve("salesforce-account-writeback.camel.yaml");
        replace(file, "id: salesforce-account-writeback\n", "id: writeback\n");
        replace(file, "mapping:salesforce/account-to-sobject", "mapping:salesforce/account-to-sobjects");
        assertThat(Validate.run(routes, mappings)).extracting(Problem::toString).containsExactlyInAnyOrder(
                file + ":" + lineOf(file, "id: writeback") + ": route id \"writeback\" must be the file name "
                        + "\"salesforce-account-writeback\" (stable ids keep metrics, lineage and checkpoints)",
                file + ":" + lineOf(file, "account-to-sobjects") + ": no mapping "
                        + mappings.resolve("salesforce/account-to-sobjects.jsonata"));
    }

    @Test
    void aMappingThatDoesNotCompileIsRejectedWithFileLineAndColumn() throws IOException {
        Path file = mappings.resolve("erp/account-to-party.jsonata");
        Files.writeString(file, "\n$broken(", StandardOpenOption.APPEND);
        assertThat(Validate.run(routes, mappings)).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(file);
            assertThat(problem.line()).isEqualTo((int) Files.readAllLines(file).size());
            assertThat(problem.column()).isPositive();
        });
    }

    @Test
    void aMappingThatFailsAGoldenCaseIsRejectedNamingTheCase() throws IOException {
        Path file = mappings.resolve("salesforce/account-change-to-canonical.jsonata");
        replace(file, "$fromMillis($h.commitTimestamp)", "$fromMillis($h.commitTimestamp + 1)");
        assertThat(Validate.run(routes, mappings)).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.file().toString()).contains("salesforce/account-change-to-canonical.cases/");
            assertThat(problem.message()).startsWith("golden case of salesforce/account-change-to-canonical fails: expected");
        });
    }

    @Test
    void aValueCamelCoercesButItsYamlSchemaRefusesIsRejectedWithFileLineAndColumn() throws IOException {
        // Camel reads 250 as the string it wants; an editor applying Camel's YAML DSL schema paints it red
        Path file = routes.resolve("erp-order-sync.camel.yaml");
        replace(file, "redeliveryDelay: \"250\"", "redeliveryDelay: 250");
        assertThat(Validate.run(routes, mappings)).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(file);
            assertThat(problem.line()).isEqualTo(lineOf(file, "redeliveryDelay: 250"));
            assertThat(problem.column()).isEqualTo(lineText(file, "redeliveryDelay: 250").indexOf("250") + 1);
            assertThat(problem.message()).isEqualTo("Camel YAML DSL schema: redeliveryDelay: integer found, string expected");
        });
    }

    @Test
    void aStepWithoutAnIdOrWithAnIdUsedTwiceIsRejected() throws IOException {
        Path file = routes.resolve("erp-order-sync.camel.yaml");
        replace(file, "                        id: place-erp-sale\n", "");
        replace(file, "id: keep-sale", "id: keep-order");
        assertThat(Validate.run(routes, mappings)).extracting(Problem::toString).containsExactlyInAnyOrder(
                file + ":" + (lineOf(file, "ref: erpSales") - 1) + ":23: step \"bean\" has no id: give every step an id that"
                        + " says what it does (Hawtio, message history and /api/v1/stuck-exchanges show it)",
                file + ":" + (lineOf(file, "name: sale") - 2) + ":23: step id \"keep-order\" is used twice in this file");
    }

    @Test
    void aRouteWithoutItsNodePrefixIsRejected() throws IOException {
        Path file = routes.resolve("billing-account-sync.camel.yaml");
        replace(file, "    nodePrefixId: billing-account-sync.\n", "");
        assertThat(Validate.run(routes, mappings)).singleElement().satisfies(problem -> assertThat(problem.toString())
                .isEqualTo(file + ":" + (lineOf(file, "- route:") + 1) + ":5: route needs nodePrefixId: "
                        + "billing-account-sync. (step ids are unique among all routes only with their route's prefix)"));
    }

    @Test
    void theCatalogAndGoldenCasesFollowTheSchemasEditorsApply() throws IOException {
        Path catalog = mappings.resolve("products.json");
        replace(catalog, "\"name\": \"Onboarding package\",", "\"name\": \"Onboarding package\", \"nmae\": \"typo\",");
        Path goldenCase = mappings.resolve("erp/order-to-sale.cases/unknown-product-refused.json");
        replace(goldenCase, "\"description\":", "\"descripton\":");
        assertThat(Validate.run(routes, mappings)).extracting(Problem::toString).containsExactlyInAnyOrder(
                catalog + ":" + lineOf(catalog, "nmae") + ":" + (lineText(catalog, "nmae").indexOf("\"typo\"") + 1) + ": products.schema.json: nmae: property 'nmae' is not defined"
                        + " in the schema and the schema does not allow additional properties",
                goldenCase + ":1:1: golden-case.schema.json: (document): required property 'description' not found",
                goldenCase + ":" + lineOf(goldenCase, "descripton") + ":" + (lineText(goldenCase, "descripton").indexOf(": ") + 3) + ": golden-case.schema.json: descripton: property"
                        + " 'descripton' is not defined in the schema and the schema does not allow additional properties");
    }

    private static String lineText(Path file, String fragment) throws IOException {
        return Files.readAllLines(file).get(lineOf(file, fragment) - 1);
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    private static int lineOf(Path file, String fragment) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError(fragment + " not in " + file);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }
}
