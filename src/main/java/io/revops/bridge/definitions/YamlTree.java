package io.revops.bridge.definitions;

import java.util.HashMap;
import java.util.Map;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A YAML document as JSON, typed the way editors type it (YAML 1.2 core schema: 250 is a number, "250" a string,
 * true a boolean), with the line and column of every value by JSON pointer, so a schema violation can be shown where
 * the engineer wrote it.
 */
final class YamlTree {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final JsonNode root;
    private final Map<String, int[]> positions = new HashMap<>();

    private YamlTree(Node document) {
        this.root = convert(document, "");
    }

    /** The first document of the text (route files hold one), or null if the text is empty. */
    static YamlTree parse(String text) {
        LoadSettings settings = LoadSettings.builder().setSchema(new CoreSchema()).build();
        return new Compose(settings).composeString(text).map(YamlTree::new).orElse(null);
    }

    /** Line and column (1-based) of the value at a JSON pointer, or of its nearest ancestor that has one. */
    int[] positionOf(String pointer) {
        for (String at = pointer; ; at = at.substring(0, at.lastIndexOf('/'))) {
            int[] position = positions.get(at);
            if (position != null || at.isEmpty()) {
                return position == null ? new int[] {0, 0} : position;
            }
        }
    }

    private JsonNode convert(Node node, String pointer) {
        node.getStartMark().ifPresent(mark -> positions.put(pointer, new int[] {mark.getLine() + 1, mark.getColumn() + 1}));
        if (node instanceof MappingNode mapping) {
            ObjectNode object = JSON.objectNode();
            for (NodeTuple entry : mapping.getValue()) {
                String key = ((ScalarNode) entry.getKeyNode()).getValue();
                object.set(key, convert(entry.getValueNode(), pointer + "/" + escape(key)));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode();
            for (int i = 0; i < sequence.getValue().size(); i++) {
                array.add(convert(sequence.getValue().get(i), pointer + "/" + i));
            }
            return array;
        }
        return scalar((ScalarNode) node);
    }

    private static JsonNode scalar(ScalarNode scalar) {
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return JSON.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return JSON.booleanNode(Boolean.parseBoolean(value.toLowerCase()));
        }
        if (Tag.INT.equals(tag)) {
            try {
                return JSON.numberNode(Long.parseLong(value.replace("_", "")));
            } catch (NumberFormatException notDecimal) {
                return JSON.numberNode(new java.math.BigDecimal(value.replace("_", "")));
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return JSON.numberNode(new java.math.BigDecimal(value));
            } catch (NumberFormatException infinityOrNaN) {
                return JSON.textNode(value);
            }
        }
        return JSON.textNode(value);
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
