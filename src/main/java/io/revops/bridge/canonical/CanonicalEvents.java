package io.revops.bridge.canonical;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.revops.bridge.policy.BusinessException;
import io.revops.bridge.policy.ConsumedEvents;

/**
 * Validates canonical events at every boundary: each one a route consumes from Kafka (the validate-event step, right
 * after the consumer) and each one a route is about to publish (inside cloudEvents.toKafkaRecord). In this order:
 * the CloudEvents envelope ({@link EventAttributes}), the business rules with their own reason codes
 * ({@link BusinessRules}), then the JSON Schema of the event's object. A violation is a {@link BusinessException}
 * naming the attribute or JSON pointer: invalid-event, or the rule's code. Schemas are compiled once; parsing is
 * bounded (nesting depth, number length), so no input can exhaust the stack or loop on a huge number.
 */
@ApplicationScoped
@Named("canonicalEvents")
public class CanonicalEvents {
    public static final String INVALID_EVENT = "invalid-event";
    /** Set by the consumer when the event came without ce_id and it derived one (policy: derived ids). */
    public static final String DERIVED_ID_HEADER = "revops_derived_id";
    private static final int MAX_DEPTH = 32;
    private static final int MAX_NUMBER_DIGITS = 40;
    private static final int SHOWN_VIOLATIONS = 3;
    private static final int MAX_VIOLATION_LENGTH = 200;
    /** The lineage property a route's filter sets when an event is not for it (ops.LineageRecorder): "skipped". */
    private static final String RELEVANT = "relevant";
    private static final Logger LOG = Logger.getLogger(CanonicalEvents.class);

    private final CompiledSchemas schemas = new CompiledSchemas();
    /** Every consumer of a topic validates the same events: the second and third find them here. */
    private final ValidatedEvents validated = new ValidatedEvents(10_000);
    private final ObjectMapper boundedReader = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false) // messages quote numbers as sent
            .registerModule(new JavaTimeModule());

    /**
     * Route step: the consumed event (ce_* headers, JSON value) must be a valid canonical event. An invalid one is
     * dead-lettered by one route of the topic ({@link InvalidEventOwner}); the others record it skipped and stop. A
     * valid event is checked once in this JVM ({@link ValidatedEvents}): the other routes of its topic find it there.
     */
    public void validateConsumed(Exchange exchange) {
        Message message = exchange.getMessage();
        String specVersion = header(message, CloudEvent.SPECVERSION);
        String id = header(message, CloudEvent.ID);
        String derived = header(message, DERIVED_ID_HEADER);
        String type = header(message, CloudEvent.TYPE);
        String source = header(message, CloudEvent.SOURCE);
        String subject = header(message, CloudEvent.SUBJECT);
        String time = header(message, CloudEvent.TIME);
        String topic = header(message, KafkaConstants.TOPIC);
        // the body's hash taken here, not the one captured when the exchange began: the body checked is the one hashed
        String key = ValidatedEvents.keyOf(ConsumedEvents.contentHash(message.getBody()), specVersion, id, derived, type, source,
                subject, time, topic);
        try {
            validated.checkOnce(key, () -> checkData(EventAttributes.check(specVersion, id, "true".equalsIgnoreCase(derived),
                    type, source, subject, time, topic), type, parse(message.getBody())));
        } catch (BusinessException invalid) {
            if (InvalidEventOwner.isOwner(exchange)) {
                throw invalid;
            }
            LOG.debugf("Route %s skips an invalid event another consumer of its topic dead-letters: %s",
                    exchange.getFromRouteId(), invalid.getMessage());
            exchange.setProperty(RELEVANT, false);
            exchange.setRouteStop(true);
        }
    }

    /**
     * Produce side: what a route is about to publish (the event's attributes and {@code value}, its data as the JSON
     * text the record will carry) must be a valid canonical event. It is checked as its consumers will check it, on
     * its object's topic; the verdict is remembered, so this JVM's consumers of the record find it valid without
     * parsing and checking it again (they still hash what they read: a record changed on the way, or sent to another
     * topic, is checked anew).
     */
    public void validateProduced(CloudEvent event, String value) {
        String time = event.time().toString();
        String object = EventAttributes.check(CloudEvent.SPEC_VERSION, event.id(), false, event.type(), event.source(),
                event.subject(), time, null);
        // its consumers read it on its object's topic, where these attributes pass as they passed here
        String topic = "revops." + object + ".v1";
        String key = ValidatedEvents.keyOf(ConsumedEvents.contentHash(value), CloudEvent.SPEC_VERSION, event.id(), null,
                event.type(), event.source(), event.subject(), time, topic);
        validated.checkOnce(key, () -> checkData(object, event.type(), parse(value)));
    }

    private void checkData(String object, String type, JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new BusinessException(INVALID_EVENT, "data: expected a JSON object but got "
                    + (data == null ? "nothing" : data.getNodeType().toString().toLowerCase()));
        }
        BusinessRules.check(object, type, data);
        numbersInRange(data, "");
        List<String> violations = schemas.violations(object, data);
        if (!violations.isEmpty()) {
            throw new BusinessException(INVALID_EVENT, describe(violations));
        }
    }

    private JsonNode parse(Object body) {
        if (body == null) {
            return null;
        }
        try {
            return boundedReader.readTree(body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : body.toString());
        } catch (StreamConstraintsException e) {
            throw new BusinessException(INVALID_EVENT, "data: beyond the parser's limits (nesting depth at most "
                    + MAX_DEPTH + ", names and numbers of bounded length): "
                    + Excerpt.bounded(e.getOriginalMessage(), MAX_VIOLATION_LENGTH));
        } catch (JsonProcessingException e) {
            throw new BusinessException(INVALID_EVENT, "data: not valid JSON: "
                    + Excerpt.bounded(e.getOriginalMessage(), MAX_VIOLATION_LENGTH));
        }
    }

    /**
     * No canonical number needs more than 40 digits or a 40-digit exponent; refusing them before the schema keeps
     * every later comparison cheap (1e999999999 would otherwise be expanded by an integer check).
     */
    private static void numbersInRange(JsonNode node, String pointer) {
        if (node.isNumber()) {
            boolean inRange = !node.isBigDecimal()
                    || Math.abs(node.decimalValue().precision() - node.decimalValue().scale()) <= MAX_NUMBER_DIGITS
                    && Math.abs(node.decimalValue().scale()) <= MAX_NUMBER_DIGITS;
            if (!inRange || (node.isDouble() && !Double.isFinite(node.doubleValue()))) {
                throw new BusinessException(INVALID_EVENT, pointer + ": the number " + Excerpt.of(node.numberValue())
                        + " is out of range");
            }
        } else if (node.isContainerNode()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    numbersInRange(node.get(i), pointer + "/" + i);
                }
            } else {
                for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
                    String name = names.next();
                    numbersInRange(node.get(name), pointer + "/" + Excerpt.of(name));
                }
            }
        }
    }

    private static String describe(List<String> violations) {
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN_VIOLATIONS, violations.size()); i++) {
            message.append(i == 0 ? "" : "; ").append(Excerpt.bounded(violations.get(i), MAX_VIOLATION_LENGTH));
        }
        if (violations.size() > SHOWN_VIOLATIONS) {
            message.append(" (and ").append(violations.size() - SHOWN_VIOLATIONS).append(" more)");
        }
        return message.toString();
    }

    private static String header(Message message, String name) {
        Object value = message.getHeader(name);
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null ? null : value.toString();
    }
}
