package io.revops.bridge.sandbox.salesforce;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Composite references: {@code @{referenceId.field}}, with {@code .field} and {@code [n]} steps into an earlier
 * subrequest's response body (e.g. {@code @{accounts.records[0].Id}}), in a subrequest's url or anywhere in its body.
 * A value that is the whole of a JSON string keeps its JSON type; inside longer text it becomes text. A reference that
 * finds nothing (an unknown or later referenceId, a failed subrequest, an empty query) is refused with Salesforce's
 * words.
 */
final class References {
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+|\\[\\d+\\])*)\\}");
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[(\\d+)\\]");
    private static final ObjectMapper JSON = new ObjectMapper();

    static final class Unresolved extends RuntimeException {
        Unresolved(String reference, String referenceId) {
            super("Invalid reference specified. No value for " + reference + " found in " + referenceId + ".");
        }
    }

    private final Map<String, Object> bodies;

    /** bodies: the response bodies of the subrequests run so far, by referenceId. */
    References(Map<String, Object> bodies) {
        this.bodies = bodies;
    }

    String resolve(String text) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = value(m.group(1), m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(value.isValueNode() ? value.asText() : value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    JsonNode resolve(JsonNode node) {
        if (node.isTextual()) {
            Matcher whole = REFERENCE.matcher(node.asText());
            return whole.matches() ? value(whole.group(1), whole.group(2)) : TextNode.valueOf(resolve(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), resolve(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(resolve(element)));
            return copy;
        }
        return node;
    }

    private JsonNode value(String referenceId, String steps) {
        String reference = referenceId + steps;
        if (!bodies.containsKey(referenceId) || steps.isEmpty()) {
            throw new Unresolved(reference, referenceId);
        }
        JsonNode current = JSON.valueToTree(bodies.get(referenceId));
        Matcher step = STEP.matcher(steps);
        while (step.find() && current != null) {
            current = step.group(1) != null ? (current.isObject() ? current.get(step.group(1)) : null)
                    : (current.isArray() ? current.get(Integer.parseInt(step.group(2))) : null);
        }
        if (current == null || current.isNull() || current.isMissingNode()) {
            throw new Unresolved(reference, referenceId);
        }
        return current;
    }
}
