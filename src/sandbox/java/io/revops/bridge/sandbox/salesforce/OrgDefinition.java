package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;

/**
 * The emulated org as data: objects, fields, child relationships, Change Data Capture and platform events, read from
 * one JSON file (the default is sandbox/salesforce-org.json in the jar; a user points
 * revops.sandbox.salesforce.org-file at their own). The file is checked against schemas/salesforce-org.schema.json
 * and for what a schema cannot say (every object has Salesforce's system fields, names are unique ignoring case,
 * child relationships name a reference field of the child); a violation names the file, the JSON pointer and the
 * problem, so the sandbox refuses to start rather than emulate an org that cannot exist.
 */
public final class OrgDefinition {
    static final String DEFAULT_RESOURCE = "sandbox/salesforce-org.json";
    private static final String SCHEMA_RESOURCE = "schemas/salesforce-org.schema.json";
    private static final List<String> SYSTEM_FIELDS = List.of("Id", "IsDeleted", "CreatedDate", "CreatedById",
            "LastModifiedDate", "LastModifiedById");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile OrgDefinition defaults;

    private final List<SObjectType> objects;
    private final List<PlatformEvent> platformEvents;

    private OrgDefinition(List<SObjectType> objects, List<PlatformEvent> platformEvents) {
        this.objects = objects;
        this.platformEvents = platformEvents;
    }

    /** The org in the jar: today's Account, Order, OrderItem, Invoice__c and the Order_Status__e event. */
    public static OrgDefinition defaults() {
        if (defaults == null) {
            try (InputStream in = OrgDefinition.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                defaults = parse("classpath:" + DEFAULT_RESOURCE, new String(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return defaults;
    }

    /** @throws IllegalArgumentException naming the file, the JSON pointer and the problem of every violation */
    public static OrgDefinition read(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the Salesforce org file: " + e.getMessage(), e);
        }
    }

    static OrgDefinition parse(String source, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : SchemaHolder.SCHEMA.validate(root)) {
            String pointer = message.getInstanceLocation().toString();
            String detail = message.getMessage();
            detail = detail.startsWith(pointer) ? detail.substring(pointer.length()).replaceFirst("^:\\s*", "") : detail;
            problems.add(source + ": " + (pointer.isEmpty() ? "/" : pointer) + ": " + detail);
        }
        if (problems.isEmpty()) {
            semanticProblems(root, source, problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid Salesforce org file:\n  " + String.join("\n  ", problems));
        }
        List<SObjectType> objects = new ArrayList<>();
        root.get("objects").forEach(o -> objects.add(object(o)));
        List<PlatformEvent> events = new ArrayList<>();
        root.path("platformEvents").forEach(e -> events.add(new PlatformEvent(e.get("name").asText(),
                e.get("label").asText(), fields(e.get("fields"), true))));
        return new OrgDefinition(List.copyOf(objects), List.copyOf(events));
    }

    private static void semanticProblems(JsonNode root, String source, List<String> problems) {
        Set<String> objectNames = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < root.get("objects").size(); i++) {
            JsonNode object = root.get("objects").get(i);
            String at = source + ": /objects/" + i;
            if (!objectNames.add(lower(object.get("name").asText()))) {
                problems.add(at + "/name: object " + object.get("name").asText() + " is defined twice");
            }
            if (!prefixes.add(object.get("keyPrefix").asText())) {
                problems.add(at + "/keyPrefix: key prefix " + object.get("keyPrefix").asText() + " is used by another object");
            }
            fieldProblems(object.get("fields"), at + "/fields", true, problems);
        }
        for (int i = 0; i < root.get("objects").size(); i++) {
            JsonNode object = root.get("objects").get(i);
            JsonNode children = object.path("childRelationships");
            for (int c = 0; c < children.size(); c++) {
                JsonNode child = children.get(c);
                JsonNode childObject = find(root.get("objects"), child.get("childSObject").asText());
                String at = source + ": /objects/" + i + "/childRelationships/" + c;
                if (childObject == null) {
                    problems.add(at + "/childSObject: no object " + child.get("childSObject").asText() + " in this file");
                    continue;
                }
                JsonNode field = find(childObject.get("fields"), child.get("field").asText());
                if (field == null || !"reference".equals(field.get("type").asText())
                        || !contains(field.get("referenceTo"), object.get("name").asText())) {
                    problems.add(at + "/field: " + child.get("childSObject").asText() + " has no reference field "
                            + child.get("field").asText() + " to " + object.get("name").asText());
                }
            }
        }
        JsonNode events = root.path("platformEvents");
        for (int i = 0; i < events.size(); i++) {
            fieldProblems(events.get(i).get("fields"), source + ": /platformEvents/" + i + "/fields", false, problems);
        }
    }

    private static void fieldProblems(JsonNode fields, String at, boolean sObject, List<String> problems) {
        Set<String> names = new HashSet<>();
        for (int f = 0; f < fields.size(); f++) {
            JsonNode field = fields.get(f);
            if (!names.add(lower(field.get("name").asText()))) {
                problems.add(at + "/" + f + "/name: field " + field.get("name").asText() + " is defined twice");
            }
            if (!sObject && List.of("id", "reference", "address").contains(field.get("type").asText())) {
                problems.add(at + "/" + f + "/type: a platform event field cannot be of type " + field.get("type").asText());
            }
            if ("address".equals(field.get("type").asText())) {
                field.get("components").forEach(c -> names.add(lower(SObjectType.addressPrefix(field.get("name").asText())
                        + c.asText())));
            }
        }
        if (sObject) {
            for (String system : SYSTEM_FIELDS) {
                if (!names.contains(lower(system))) {
                    problems.add(at + ": the system field " + system + " is missing (every sObject has "
                            + String.join(", ", SYSTEM_FIELDS) + ")");
                }
            }
        }
    }

    private static SObjectType object(JsonNode o) {
        List<SObjectType.ChildRelationship> children = new ArrayList<>();
        o.path("childRelationships").forEach(c -> children.add(new SObjectType.ChildRelationship(
                c.get("relationshipName").asText(), c.get("childSObject").asText(), c.get("field").asText())));
        return new SObjectType(o.get("name").asText(), o.get("label").asText(),
                o.path("labelPlural").asText(o.get("label").asText()), o.get("keyPrefix").asText(),
                o.path("custom").asBoolean(o.get("name").asText().endsWith("__c")), o.path("changeDataCapture").asBoolean(),
                fields(o.get("fields"), false), List.copyOf(children));
    }

    /** The file's fields; an address field becomes its flat component fields followed by the compound itself. */
    private static List<SObjectField> fields(JsonNode fields, boolean eventFields) {
        List<SObjectField> out = new ArrayList<>();
        for (JsonNode f : fields) {
            String name = f.get("name").asText();
            String type = f.get("type").asText();
            List<String> components = strings(f.get("components"));
            if (type.equals("address")) {
                for (String component : SObjectType.ADDRESS_COMPONENTS) {
                    if (components.contains(component)) {
                        out.add(addressComponent(name, f.get("label").asText(), component, f));
                    }
                }
            }
            boolean system = !eventFields && SYSTEM_FIELDS.contains(name);
            boolean readOnly = f.path("autoNumber").asBoolean() || f.path("calculated").asBoolean();
            boolean createable = f.path("createable").asBoolean(!readOnly && !system && !type.equals("id"));
            out.add(new SObjectField(name, f.get("label").asText(), type, f.path("length").asInt(0),
                    f.path("precision").asInt(0), f.path("scale").asInt(0), f.path("externalId").asBoolean(),
                    f.path("unique").asBoolean(), !f.path("required").asBoolean(), f.path("defaultedOnCreate").asBoolean(),
                    f.path("autoNumber").asBoolean(), f.path("calculated").asBoolean(), f.path("formula").asText(null),
                    createable, f.path("updateable").asBoolean(createable), strings(f.get("picklistValues")),
                    strings(f.get("referenceTo")), f.path("relationshipName").asText(null), null, components,
                    name.endsWith("__c")));
        }
        return List.copyOf(out);
    }

    /** Salesforce's component fields of an address: BillingStreet (textarea 255), BillingCity (string 40), ... */
    private static SObjectField addressComponent(String compound, String compoundLabel, String component, JsonNode f) {
        Map<String, Object[]> shapes = Map.of("Street", new Object[] {"textarea", 255}, "City", new Object[] {"string", 40},
                "State", new Object[] {"string", 80}, "PostalCode", new Object[] {"string", 20},
                "Country", new Object[] {"string", 80}, "StateCode", new Object[] {"picklist", 10},
                "CountryCode", new Object[] {"picklist", 10}, "Latitude", new Object[] {"double", 0},
                "Longitude", new Object[] {"double", 0}, "GeocodeAccuracy", new Object[] {"picklist", 40});
        Object[] shape = shapes.get(component);
        boolean number = shape[0].equals("double");
        String prefix = SObjectType.addressPrefix(compound);
        boolean createable = f.path("createable").asBoolean(true);
        return new SObjectField(prefix + component, compoundLabel.replaceFirst(" Address$", "") + " "
                + component.replaceAll("([a-z])([A-Z])", "$1 $2"), (String) shape[0], (Integer) shape[1],
                number ? 18 : 0, number ? 15 : 0, false, false, true, false, false, false, null, createable,
                f.path("updateable").asBoolean(createable), List.of(), List.of(), null, compound, List.of(), false);
    }

    public List<SObjectType> objects() {
        return objects;
    }

    public List<PlatformEvent> platformEvents() {
        return platformEvents;
    }

    public SObjectType object(String name) {
        return objects.stream().filter(o -> o.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no object " + name + " in the org file"));
    }

    private static JsonNode find(JsonNode array, String name) {
        for (JsonNode node : array) {
            if (node.get("name").asText().equalsIgnoreCase(name)) {
                return node;
            }
        }
        return null;
    }

    private static boolean contains(JsonNode array, String value) {
        return strings(array).stream().anyMatch(value::equalsIgnoreCase);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> values.add(v.asText()));
        }
        return List.copyOf(values);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Loaded on first use only: the schema library is not needed by code that never reads an org file. */
    private static final class SchemaHolder {
        static final JsonSchema SCHEMA = load();

        private static JsonSchema load() {
            try (InputStream in = OrgDefinition.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
                SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER)
                        .typeLoose(false).build();
                return JsonSchemaFactory.getInstance(VersionFlag.V202012).getSchema(JSON.readTree(in), config);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE, e);
            }
        }
    }
}
