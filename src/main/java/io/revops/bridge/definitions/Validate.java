package io.revops.bridge.definitions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Validates all routes and mappings without starting the runtime, for CI and pre-commit:
 * {@code ./mvnw -q compile exec:java@validate} (arguments: routes directory, mappings directory). Prints one line per
 * problem as file:line:column: message and exits with 1 if there is any.
 */
public final class Validate {
    private Validate() {
    }

    public static void main(String[] args) throws IOException {
        Path routes = Path.of(args.length > 0 ? args[0] : "routes");
        Path mappings = Path.of(args.length > 1 ? args[1] : "mappings");
        List<Problem> problems = run(routes, mappings);
        report(problems, routes, mappings, System.out);
        if (!problems.isEmpty()) {
            System.exit(1);
        }
    }

    public static List<Problem> run(Path routes, Path mappings) throws IOException {
        List<Problem> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(routes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                problems.addAll(RouteValidation.check(file, mappings));
            }
        }
        problems.addAll(MappingValidation.check(mappings));
        return problems;
    }

    static void report(List<Problem> problems, Path routes, Path mappings, PrintStream out) {
        problems.forEach(out::println);
        out.println(problems.isEmpty() ? "Routes in " + routes + " and mappings in " + mappings + " are valid."
                : problems.size() + " problem(s) in " + routes + " and " + mappings + ".");
    }
}
