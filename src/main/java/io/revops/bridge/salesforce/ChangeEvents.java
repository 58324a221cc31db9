package io.revops.bridge.salesforce;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.Exchange;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.DeadLetterStore;

/**
 * Turns a Change Data Capture event (Avro, as camel-salesforce delivers it) into a plain JSON tree for the
 * mappings, expanding the header's field bitmaps into field names. Salesforce sends changedFields, nulledFields
 * and diffFields as lists of hex bitmaps written as whole bytes: the first over the positions of the event schema's
 * fields ("0x650004E0": bit n set = field n), then one "p-0xNN" per compound field over the nested fields of the
 * compound field at position p, which become "BillingAddress.City". Anything else is refused as an invalid event.
 */
@ApplicationScoped
@Named("changeEvents")
public class ChangeEvents {
    private static final String HEADER = "ChangeEventHeader";
    private static final List<String> BITMAP_FIELDS = List.of("changedFields", "nulledFields", "diffFields");

    /** Route step: decodes the body and names the changed records as the business key for operators. */
    public void decode(Exchange exchange) {
        Map<String, Object> tree = toJson(exchange.getMessage().getBody());
        Object recordIds = ((Map<?, ?>) tree.get(HEADER)).get("recordIds");
        if (recordIds instanceof List<?> ids) {
            exchange.getMessage().setHeader(DeadLetterStore.BUSINESS_KEY_HEADER,
                    String.join(",", ids.stream().map(Object::toString).toList()));
        }
        exchange.getMessage().setBody(tree);
    }

    public Map<String, Object> toJson(Object event) {
        if (!(event instanceof GenericRecord record)) {
            throw new BusinessException("invalid-event",
                    "expected an Avro change event but got " + (event == null ? "nothing" : event.getClass().getName()));
        }
        if (record.getSchema().getField(HEADER) == null) {
            throw new BusinessException("invalid-event", record.getSchema().getFullName() + " has no " + HEADER);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) plain(record);
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) tree.get(HEADER);
        for (String bitmapField : BITMAP_FIELDS) {
            Object bitmaps = header.get(bitmapField);
            if (bitmaps instanceof List<?> list) {
                header.put(bitmapField, fieldNames(record.getSchema(), list));
            }
        }
        return tree;
    }

    /** A top-level bitmap ("0x650004E0") or a compound field's nested one ("4-0x10"). */
    private static final Pattern ENTRY = Pattern.compile("(?:(\\d+)-)?0x([0-9A-Fa-f]*)");

    static List<String> fieldNames(Schema schema, Collection<?> bitmaps) {
        List<String> names = new ArrayList<>();
        for (Object entry : bitmaps) {
            String bitmap = entry.toString();
            Matcher matcher = ENTRY.matcher(bitmap);
            if (!matcher.matches()) {
                throw new BusinessException("invalid-event", "field bitmap '" + bitmap
                        + "' is neither 0x<hex> nor <position>-0x<hex>");
            }
            if (matcher.group(1) == null) {
                names.addAll(setBits(schema.getFields(), matcher.group(2), ""));
            } else {
                int position = Integer.parseInt(matcher.group(1));
                if (position >= schema.getFields().size()) {
                    throw new BusinessException("invalid-event", "field bitmap " + bitmap + " names compound position "
                            + position + " beyond the " + schema.getFields().size() + " fields of the schema");
                }
                Schema.Field parent = schema.getFields().get(position);
                Schema nested = recordSchema(parent.schema());
                names.addAll(setBits(nested.getFields(), matcher.group(2), parent.name() + "."));
            }
        }
        return names;
    }

    /** Bit n of the hex number (whole bytes, most significant first) set = field n. */
    private static List<String> setBits(List<Schema.Field> fields, String hex, String prefix) {
        BigInteger bits = hex.isEmpty() ? BigInteger.ZERO : new BigInteger(hex, 16);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < bits.bitLength(); i++) {
            if (bits.testBit(i)) {
                if (i >= fields.size()) {
                    throw new BusinessException("invalid-event", "field bitmap 0x" + hex + " names position " + i
                            + " beyond the " + fields.size() + " fields of the schema");
                }
                names.add(prefix + fields.get(i).name());
            }
        }
        return names;
    }

    private static Schema recordSchema(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().filter(s -> s.getType() == Schema.Type.RECORD).findFirst()
                    .orElseThrow(() -> new BusinessException("invalid-event", "bitmap on a non-compound field"));
        }
        return schema;
    }

    private static Object plain(Object value) {
        if (value instanceof GenericRecord record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                Object fieldValue = plain(record.get(field.pos()));
                if (fieldValue != null) {
                    map.put(field.name(), fieldValue);
                }
            }
            return map;
        }
        if (value instanceof Collection<?> items) {
            List<Object> list = new ArrayList<>(items.size());
            items.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (value instanceof Map<?, ?> entries) {
            Map<String, Object> map = new LinkedHashMap<>();
            entries.forEach((k, v) -> map.put(k.toString(), plain(v)));
            return map;
        }
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof org.apache.avro.generic.GenericEnumSymbol<?>) {
            return value.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            return java.util.Base64.getEncoder().encodeToString(buffer.array());
        }
        return value;
    }
}
