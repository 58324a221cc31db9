package io.revops.bridge.definitions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

import io.revops.bridge.mapping.GoldenCases;
import io.revops.bridge.mapping.InvalidMappingException;
import io.revops.bridge.mapping.Mapping;
import io.revops.bridge.mapping.Mappings;

/**
 * Every mapping under the root compiles and passes its golden cases; products.json, ownership.json and the golden case
 * files follow their schemas (src/main/resources/schemas, which editors apply through each file's "$schema").
 */
public final class MappingValidation {
    private MappingValidation() {
    }

    public static List<Problem> check(Path root) {
        List<Problem> problems = new ArrayList<>();
        Mappings mappings = new Mappings(root);
        for (Path file : jsonataFiles(root)) {
            String name = root.relativize(file).toString().replace('\\', '/').replaceFirst("\\.jsonata$", "");
            Mapping mapping;
            try {
                mapping = mappings.get(name);
            } catch (InvalidMappingException e) {
                problems.add(new Problem(file, e.line(), e.column(), e.problem()));
                continue;
            } catch (RuntimeException e) {
                problems.add(Problem.in(file, e.getMessage()));
                continue;
            }
            for (GoldenCases.Outcome failed : GoldenCases.failures(mapping, root)) {
                problems.add(Problem.in(failed.caseFile(), "golden case of " + name + " fails: " + failed.failure()));
            }
        }
        problems.addAll(followsSchema(root.resolve("products.json"), FileSchema.PRODUCTS));
        problems.addAll(followsSchema(root.resolve("ownership.json"), FileSchema.OWNERSHIP));
        for (Path caseFile : GoldenCases.all(root)) {
            problems.addAll(followsSchema(caseFile, FileSchema.GOLDEN_CASE));
        }
        return problems;
    }

    /** The files an engineer edits beside the mappings follow the schemas their editor applies ("$schema" in each). */
    private static List<Problem> followsSchema(Path file, FileSchema schema) {
        try {
            YamlTree tree = YamlTree.parse(Files.readString(file));
            return tree == null ? List.of(Problem.in(file, "empty")) : schema.check(file, tree);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            int column = e.getProblemMark().map(m -> m.getColumn() + 1).orElse(0);
            return List.of(new Problem(file, line, column, "not valid JSON: " + e.getProblem()));
        } catch (IOException e) {
            return List.of(Problem.in(file, "unreadable: " + e.getMessage()));
        }
    }

    private static List<Path> jsonataFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".jsonata")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
