package io.revops.bridge.definitions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every step of a route file has an id that says what it does: Hawtio, message history, the stuck-exchanges API
 * and the lineage show step ids, and Camel's generated ones ({@code bean2}, {@code to5}) change whenever a step is
 * added above them. A step is an element of any {@code steps:} list (in routes, onException clauses and nested
 * EIPs); its short form ({@code - to: kafka:x}) has no place for an id, so it must be written as a map.
 */
final class StepIds {
    private StepIds() {
    }

    static List<Problem> check(Path file, YamlTree tree, String routeId) {
        List<Problem> problems = new ArrayList<>();
        visit(tree.root, "", file, tree, problems, new HashSet<>());
        checkPrefix(file, tree, routeId, problems);
        return problems;
    }

    /**
     * Camel wants step ids unique among ALL routes; a route's nodePrefixId (its own id and a dot) makes the ids of one
     * file independent of every other file, so two routes may both have a step "log-hop".
     */
    private static void checkPrefix(Path file, YamlTree tree, String routeId, List<Problem> problems) {
        String expected = routeId + ".";
        for (int i = 0; i < tree.root.size(); i++) {
            JsonNode route = tree.root.get(i).get("route");
            if (route == null) {
                continue;
            }
            if (!expected.equals(route.path("nodePrefixId").asText())) {
                int[] position = tree.positionOf("/" + i + "/route");
                problems.add(new Problem(file, position[0], position[1], "route needs nodePrefixId: " + expected
                        + " (step ids are unique among all routes only with their route's prefix)"));
            }
        }
    }

    private static void visit(JsonNode node, String pointer, Path file, YamlTree tree, List<Problem> problems, Set<String> ids) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = pointer + "/" + field.getKey();
                if ("steps".equals(field.getKey()) && field.getValue().isArray()) {
                    checkSteps(field.getValue(), at, file, tree, problems, ids);
                }
                visit(field.getValue(), at, file, tree, problems, ids);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                visit(node.get(i), pointer + "/" + i, file, tree, problems, ids);
            }
        }
    }

    private static void checkSteps(JsonNode steps, String pointer, Path file, YamlTree tree, List<Problem> problems,
            Set<String> ids) {
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            if (!step.isObject() || step.size() != 1) {
                continue; // not a step Camel knows: the model and the schema report it
            }
            String eip = step.fieldNames().next();
            JsonNode definition = step.get(eip);
            int[] position = tree.positionOf(pointer + "/" + i);
            if (!definition.isObject() || !definition.hasNonNull("id") || definition.get("id").asText().isBlank()) {
                problems.add(new Problem(file, position[0], position[1], "step \"" + eip + "\" has no id: give every step an id"
                        + " that says what it does (Hawtio, message history and /api/v1/stuck-exchanges show it)"));
            } else if (!ids.add(definition.get("id").asText())) {
                problems.add(new Problem(file, position[0], position[1], "step id \"" + definition.get("id").asText()
                        + "\" is used twice in this file"));
            }
        }
    }
}
