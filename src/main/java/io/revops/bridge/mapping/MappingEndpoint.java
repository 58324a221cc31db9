package io.revops.bridge.mapping;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

@UriEndpoint(firstVersion = "0.1.0", scheme = "mapping", title = "Mapping", syntax = "mapping:name",
        producerOnly = true, remote = false, category = Category.TRANSFORMATION)
public class MappingEndpoint extends DefaultEndpoint {
    private final String mappingName;
    @UriParam(description = "Give the mapping {body, headers, variables} instead of the body alone, e.g. to derive ids from"
            + " ce_* headers or to combine a system's answer with the event kept in a variable")
    private boolean withHeaders;

    MappingEndpoint(String uri, MappingComponent component, String mappingName) {
        super(uri, component);
        this.mappingName = mappingName;
    }

    @Override
    public Producer createProducer() {
        MappingComponent component = (MappingComponent) getComponent();
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                Mapping mapping = component.mappings().get(mappingName);
                Object input = component.json().toTree(exchange.getMessage().getBody());
                if (withHeaders) {
                    Map<String, Object> wrapped = new HashMap<>();
                    wrapped.put("body", input);
                    wrapped.put("headers", textHeaders(exchange.getMessage().getHeaders()));
                    Map<String, Object> variables = new HashMap<>();
                    exchange.getVariables().forEach((name, value) -> variables.put(name, tree(component.json(), value)));
                    wrapped.put("variables", variables);
                    input = wrapped;
                }
                exchange.getMessage().setBody(mapping.apply(input));
            }
        };
    }

    public boolean isWithHeaders() {
        return withHeaders;
    }

    public void setWithHeaders(boolean withHeaders) {
        this.withHeaders = withHeaders;
    }

    /** A variable as the mapping sees it: an event kept from the Kafka record is JSON text, anything else a value. */
    private static Object tree(Json json, Object value) {
        boolean jsonText = value instanceof String text && (text.startsWith("{") || text.startsWith("["))
                || value instanceof byte[];
        return jsonText || !(value instanceof String) ? json.toTree(value) : value;
    }

    private static Map<String, Object> textHeaders(Map<String, Object> headers) {
        Map<String, Object> text = new HashMap<>();
        headers.forEach((name, value) -> {
            if (value instanceof byte[] bytes) {
                text.put(name, new String(bytes, StandardCharsets.UTF_8));
            } else if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
                text.put(name, value);
            }
        });
        return text;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mapping: is a producer-only endpoint");
    }
}
