package io.revops.bridge.mapping;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code mapping:<system>/<name>}: one route step that applies mappings/<system>/<name>.jsonata to the body.
 * The body may be JSON text, bytes or already parsed; the result is JSON-shaped (Map/List) for the next step.
 */
@ApplicationScoped
@Named("mapping")
public class MappingComponent extends DefaultComponent {
    private final Mappings mappings;
    private final Json json;

    @Inject
    public MappingComponent(Mappings mappings, Json json) {
        this.mappings = mappings;
        this.json = json;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        mappings.fileOf(remaining); // rejects a malformed name when the route starts, not on the first message
        return new MappingEndpoint(uri, this, remaining);
    }

    Mappings mappings() {
        return mappings;
    }

    Json json() {
        return json;
    }
}
