package io.revops.bridge.definitions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revops.bridge.mapping.Json;
import io.revops.bridge.mapping.Mappings;

/**
 * Scaffolds a new flow: {@code ./mvnw -q compile exec:java@new-route -Dname=erp-credit-sync -Dfrom=kafka:revops.invoice.v1
 * [-Dtype=revops.invoice.issued.v1]} writes routes/<name>.camel.yaml with the standard policy (validation, JDBC
 * idempotent consumer, redelivery, circuit clause, dead-letter channel, step ids) and a mapping with one golden
 * case, which validate and run as written; the engineer then fills in the mapping and the call to the system.
 */
public final class NewRoute {
    private static final Pattern NAME = Pattern.compile("(erp|billing|salesforce)-([a-z0-9]+(?:-[a-z0-9]+)*)");
    private static final Pattern FROM = Pattern.compile("kafka:(revops\\.(account|order|invoice|payment)\\.v[0-9]+)");
    private static final Map<String, String> KEYS = Map.of("account", "accountId", "order", "orderNumber",
            "invoice", "invoiceNumber", "payment", "paymentId");

    /** What was written, for the engineer to open next. */
    public record Scaffold(Path route, Path mapping, Path goldenCase) {
    }

    private NewRoute() {
    }

    public static void main(String[] args) throws IOException {
        Path routes = Path.of(args.length > 0 ? args[0] : "routes");
        Path mappings = Path.of(args.length > 1 ? args[1] : "mappings");
        try {
            Scaffold written = write(routes, mappings, System.getProperty("name"), System.getProperty("from"),
                    System.getProperty("type"));
            System.out.println("Wrote " + written.route() + ", " + written.mapping() + " and " + written.goldenCase()
                    + ". Next: map the fields, add the call to the system, then ./mvnw -q compile exec:java@validate");
        } catch (IllegalArgumentException refused) {
            System.out.println(refused.getMessage());
            System.exit(1);
        }
    }

    public static Scaffold write(Path routes, Path mappings, String name, String from, String type) throws IOException {
        Matcher nameParts = NAME.matcher(name == null ? "" : name);
        if (!nameParts.matches()) {
            throw new IllegalArgumentException("-Dname=<system>-<what> in kebab-case, system one of erp, billing,"
                    + " salesforce (e.g. -Dname=erp-credit-sync); got " + name);
        }
        Matcher source = FROM.matcher(from == null ? "" : from);
        if (!source.matches()) {
            throw new IllegalArgumentException("-Dfrom=kafka:revops.<account|order|invoice|payment>.v<major> (a canonical"
                    + " topic, e.g. -Dfrom=kafka:revops.invoice.v1); got " + from);
        }
        String system = nameParts.group(1);
        String rest = nameParts.group(2);
        String object = source.group(2);
        if (type != null && !type.matches("revops\\." + object + "\\.[a-z]+(?:-[a-z]+)*\\.v[0-9]+")) {
            throw new IllegalArgumentException("-Dtype must be an event type of " + source.group(1) + " (revops." + object
                    + ".<verb>.v<major>); got " + type);
        }
        Path route = routes.resolve(name + ".camel.yaml");
        Path mapping = mappings.resolve(system).resolve(rest + ".jsonata");
        Path goldenCase = mappings.resolve(system).resolve(rest + ".cases").resolve("sample.json");
        for (Path existing : List.of(route, mapping)) {
            if (Files.exists(existing)) {
                throw new IllegalArgumentException(existing + " exists already: choose another -Dname");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("system", system);
        values.put("rest", rest);
        values.put("mapping", system + "/" + rest);
        values.put("object", object);
        values.put("topic", source.group(1));
        values.put("key", KEYS.get(object));
        values.put("type-filter", type != null ? "${header.ce_type} == '" + type + "'"
                : "${header.ce_type} startsWith 'revops." + object + ".'");

        Files.createDirectories(goldenCase.getParent());
        Files.writeString(route, fill(template("route.camel.yaml"), values));
        Files.writeString(mapping, fill(template("mapping.jsonata"), values));
        Json json = new Json();
        Object sample = json.toMap(template(object + ".json"));
        Object expected = new Mappings(mappings).get(system + "/" + rest).apply(sample);
        Map<String, Object> golden = new LinkedHashMap<>();
        golden.put("$schema", "../../../src/main/resources/schemas/golden-case.schema.json");
        golden.put("description", "A sample " + object + " event as " + name + " maps it (generated: replace it with a case that matters)");
        golden.put("input", sample);
        golden.put("expected", expected);
        Files.writeString(goldenCase, json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(golden) + "\n");
        return new Scaffold(route, mapping, goldenCase);
    }

    private static String fill(String template, Map<String, String> values) {
        String text = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("@" + value.getKey() + "@", value.getValue());
        }
        return text;
    }

    private static String template(String name) throws IOException {
        try (InputStream in = NewRoute.class.getClassLoader().getResourceAsStream("scaffold/" + name)) {
            if (in == null) {
                throw new IllegalStateException("scaffold/" + name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
