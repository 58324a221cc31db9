package io.revops.bridge.definitions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.revops.bridge.mapping.GoldenCases;
import io.revops.bridge.mapping.InvalidMappingException;
import io.revops.bridge.mapping.Json;
import io.revops.bridge.mapping.Mapping;
import io.revops.bridge.mapping.Mappings;

/** Every mapping under the root compiles and passes its golden cases; ownership.json is valid JSON. */
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
        Path ownership = root.resolve("ownership.json");
        try {
            new Json().mapper().readTree(ownership.toFile());
        } catch (JsonProcessingException e) {
            problems.add(new Problem(ownership, e.getLocation().getLineNr(), e.getLocation().getColumnNr(), e.getOriginalMessage()));
        } catch (IOException e) {
            problems.add(Problem.in(ownership, "unreadable: " + e.getMessage()));
        }
        return problems;
    }

    private static List<Path> jsonataFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".jsonata")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
