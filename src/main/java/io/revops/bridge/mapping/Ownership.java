package io.revops.bridge.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import io.revops.bridge.canonical.CloudEvent;
import io.revops.bridge.policy.BusinessException;

/**
 * Attribute ownership from mappings/ownership.json, enforced when an event is applied to a target: a change is
 * applied only for attributes its source system owns, so no system overwrites what another system owns, and a
 * system's own changes echoing back (e.g. the ERP customer number written to Salesforce, which Salesforce then
 * reports as a change) are never applied again. A target only receives the attributes it accepts.
 */
@ApplicationScoped
@Named("ownership")
public class Ownership {
    private static final Set<String> LIFECYCLES = Set.of("created", "updated", "deleted", "undeleted");

    private final JsonNode rules;
    private final Json json;

    @Inject
    public Ownership(Mappings mappings, Json json) {
        this(mappings.root().resolve("ownership.json"), json);
    }

    public Ownership(Path file, Json json) {
        this.json = json;
        try {
            this.rules = json.mapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ownership rules " + file.toAbsolutePath(), e);
        }
    }

    /**
     * @param event  canonical object (JSON text or tree)
     * @param type   CloudEvent type, e.g. revops.account.updated.v1
     * @param source CloudEvent source, e.g. /salesforce/data/AccountChangeEvent
     * @param target the system the change is for (erp, billing, salesforce)
     */
    public ChangeSet applicableChanges(Object event, String type, String source, String target) {
        String[] typeParts = type == null ? new String[0] : type.split("\\.");
        if (typeParts.length != 4 || !"revops".equals(typeParts[0]) || !LIFECYCLES.contains(typeParts[2])) {
            throw new BusinessException("invalid-event", "unsupported CloudEvent type " + type);
        }
        String object = typeParts[1];
        JsonNode rule = rules.path(object);
        if (rule.isMissingNode()) {
            throw new BusinessException("invalid-event", "no ownership rules for object " + object);
        }
        Map<String, Object> data = json.toMap(event);
        Object key = data.get(rule.path("key").asText());
        if (key == null || key.toString().isBlank()) {
            throw new BusinessException("invalid-event", object + " event without " + rule.path("key").asText());
        }
        String sourceSystem = CloudEvent.systemOf(source);
        String lifecycle = typeParts[2];
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (!target.equals(sourceSystem)) {
            List<?> changed = (List<?>) data.get("changedAttributes");
            Set<String> accepted = names(rule.path("accepts").path(target));
            for (JsonNode owned : rule.path("owners").path(sourceSystem)) {
                String name = owned.asText();
                if (accepted.contains(name) && (changed == null ? data.containsKey(name) : changed.contains(name))) {
                    attributes.put(name, data.get(name)); // a changed attribute missing from the event was cleared
                }
            }
        }
        boolean lifecycleChange = !target.equals(sourceSystem) && !"updated".equals(lifecycle);
        return new ChangeSet(object, key.toString(), lifecycle, sourceSystem, attributes,
                lifecycleChange || !attributes.isEmpty());
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new java.util.HashSet<>();
        array.forEach(node -> names.add(node.asText()));
        return names;
    }
}
