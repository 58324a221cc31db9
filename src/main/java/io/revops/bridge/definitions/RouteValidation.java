package io.revops.bridge.definitions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * A route file is valid when it is YAML, Camel's YAML DSL builds its model (unknown steps and fields fail here),
 * it follows Camel's YAML DSL JSON schema strictly (what editors check), every step has an id, it holds exactly one
 * route whose id is the file name, and every mapping it points to exists. Nothing is started
 * and no bean is created: this runs in CI, in a pre-commit hook and before a dev reload.
 */
public final class RouteValidation {
    private static final String SUFFIX = ".camel.yaml";
    private static final Pattern MAPPING_URI = Pattern.compile("mapping:([A-Za-z0-9_./-]+)");
    private static final Pattern CAMEL_LINE = Pattern.compile("line (\\d+)(?:, column (\\d+))?|:(\\d+)\\b");

    private RouteValidation() {
    }

    public static List<Problem> check(Path file, Path mappingsRoot) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return List.of(Problem.in(file, "unreadable: " + e.getMessage()));
        }
        try {
            new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadAllFromString(text).forEach(document -> {
            });
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            int column = e.getProblemMark().map(m -> m.getColumn() + 1).orElse(0);
            return List.of(new Problem(file, line, column, "not valid YAML: " + e.getProblem()));
        }
        List<Problem> problems = new ArrayList<>();
        List<RouteDefinition> routes;
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel, "file:" + file));
            routes = camel.getCamelContextExtension().getContextPlugin(ModelCamelContext.class).getRouteDefinitions();
        } catch (Exception e) {
            return List.of(camelProblem(file, e));
        }
        String expectedId = file.getFileName().toString().replace(SUFFIX, "");
        if (routes.size() != 1) {
            problems.add(Problem.in(file, "holds " + routes.size() + " routes; one flow per file"));
        }
        for (RouteDefinition route : routes) {
            if (!expectedId.equals(route.getRouteId())) {
                problems.add(new Problem(file, lineOf(text, "id: " + route.getRouteId()), 0, "route id \"" + route.getRouteId()
                        + "\" must be the file name \"" + expectedId + "\" (stable ids keep metrics, lineage and checkpoints)"));
            }
        }
        YamlTree tree = YamlTree.parse(text);
        if (tree != null) {
            problems.addAll(FileSchema.CAMEL_YAML_DSL.check(file, tree));
            problems.addAll(StepIds.check(file, tree, expectedId));
        }
        Matcher mapping = MAPPING_URI.matcher(text);
        while (mapping.find()) {
            String name = mapping.group(1);
            if (!Files.isRegularFile(mappingsRoot.resolve(name + ".jsonata"))) {
                problems.add(new Problem(file, lineAt(text, mapping.start()), 0, "no mapping " + mappingsRoot.resolve(name + ".jsonata")));
            }
        }
        return problems;
    }

    private static Problem camelProblem(Path file, Exception e) {
        StringBuilder message = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !message.toString().contains(t.getMessage())) {
                message.append(message.isEmpty() ? "" : ": ").append(t.getMessage());
            }
        }
        Matcher position = CAMEL_LINE.matcher(message);
        int line = 0;
        int column = 0;
        while (position.find()) {
            line = Integer.parseInt(position.group(1) != null ? position.group(1) : position.group(3));
            column = position.group(2) != null ? Integer.parseInt(position.group(2)) : 0;
        }
        return new Problem(file, line, column, message.toString().replaceAll("\\s+", " ").trim());
    }

    private static int lineOf(String text, String fragment) {
        int at = text.indexOf(fragment);
        return at < 0 ? 0 : lineAt(text, at);
    }

    private static int lineAt(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }
}
