package io.revops.bridge.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.policy.BusinessException;

/**
 * The golden cases of the mappings: for mappings/<system>/<name>.jsonata, each file in
 * mappings/<system>/<name>.cases/ holds an input and either the expected output or the expected error. The test
 * suite, the validation command and the mapping reload all run them.
 */
public final class GoldenCases {
    private static final String SUFFIX = ".cases";
    private static final Json JSON = new Json();

    /** What a case produced; failure is null when it matched. */
    public record Outcome(Path caseFile, JsonNode actual, String failure) {
    }

    private GoldenCases() {
    }

    /** Every case file under a directory (the mappings root, or one mapping's cases), sorted. */
    public static List<Path> all(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().endsWith(SUFFIX))
                    .filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases of one mapping ("system/name"); none if it has no .cases directory. */
    public static List<Path> of(Path root, String mapping) {
        Path dir = root.resolve(mapping + SUFFIX);
        return Files.isDirectory(dir) ? all(dir) : List.of();
    }

    /** The cases of a mapping that it fails, with why; empty when it passes them all (or has none). */
    public static List<Outcome> failures(Mapping mapping, Path root) {
        return of(root, mapping.name()).stream().map(goldenCase -> run(mapping, goldenCase))
                .filter(outcome -> outcome.failure() != null).toList();
    }

    /** "mappings/erp/account-to-party.cases/create.json" -> "erp/account-to-party" */
    public static String mappingOf(Path root, Path caseFile) {
        String dir = caseFile.getParent().getFileName().toString();
        return root.relativize(caseFile.getParent().getParent()).toString().replace('\\', '/') + "/"
                + dir.substring(0, dir.length() - SUFFIX.length());
    }

    public static Outcome run(Mapping mapping, Path caseFile) {
        JsonNode goldenCase;
        try {
            goldenCase = JSON.mapper().readTree(caseFile.toFile());
        } catch (IOException e) {
            return new Outcome(caseFile, null, "unreadable case: " + e.getMessage());
        }
        Object input = JSON.mapper().convertValue(goldenCase.get("input"), Object.class);
        if (goldenCase.has("expectedError")) {
            String expected = goldenCase.get("expectedError").asText();
            try {
                Object actual = mapping.apply(input);
                return new Outcome(caseFile, JSON.mapper().valueToTree(actual), "expected the error \"" + expected
                        + "\" but the mapping produced " + JSON.write(actual));
            } catch (BusinessException e) {
                String refusal = e.reasonCode() + ": " + e.getMessage(); // the reason code is part of what is expected
                return new Outcome(caseFile, null, refusal.contains(expected) ? null
                        : "expected the error \"" + expected + "\" but got \"" + refusal + "\"");
            }
        }
        JsonNode actual;
        try {
            actual = JSON.mapper().valueToTree(mapping.apply(input));
        } catch (BusinessException e) {
            return new Outcome(caseFile, null, e.getMessage());
        }
        return new Outcome(caseFile, actual, JsonTrees.equal(actual, goldenCase.get("expected")) ? null
                : "expected " + goldenCase.get("expected") + " but the mapping produced " + actual);
    }
}
