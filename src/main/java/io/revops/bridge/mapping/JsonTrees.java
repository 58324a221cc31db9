package io.revops.bridge.mapping;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON equality where 1, 1.0 and 1.00 are the same number (mappings and JSON parsers differ in number types), and an
 * expected "&lt;any&gt;" matches any present value (for what a mapping stamps itself, such as the time of a status event).
 */
public final class JsonTrees {
    private JsonTrees() {
    }

    static final String ANY = "<any>";

    /** @param a the actual tree, @param b the expected one */
    public static boolean equal(JsonNode a, JsonNode b) {
        if (b != null && b.isTextual() && ANY.equals(b.asText())) {
            return a != null && !a.isNull();
        }
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!equal(field.getValue(), b.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
