package io.revops.bridge.mapping;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

@UriEndpoint(firstVersion = "0.1.0", scheme = "mapping", title = "Mapping", syntax = "mapping:name",
        producerOnly = true, remote = false, category = Category.TRANSFORMATION)
public class MappingEndpoint extends DefaultEndpoint {
    private final String mappingName;

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
                exchange.getMessage().setBody(mapping.apply(input));
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mapping: is a producer-only endpoint");
    }
}
