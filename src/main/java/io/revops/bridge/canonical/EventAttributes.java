package io.revops.bridge.canonical;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revops.bridge.policy.BusinessException;

/**
 * The CloudEvents envelope of a canonical event: specversion 1.0; id, type, source and subject present, short and
 * free of control characters; a known source; a type {@code revops.<object>.<verb>.v1} this runtime knows (an event
 * no consumer could ever apply is refused, not skipped); time, when present, an ISO-8601 timestamp.
 */
final class EventAttributes {
    static final int MAX_LENGTH = 255;

    /** Every producer of canonical events (the sources of the mappings that publish). */
    static final Set<String> SOURCES = Set.of("/salesforce/data/AccountChangeEvent", "/salesforce/data/OrderChangeEvent",
            "/salesforce/data/Credit__ChangeEvent",
            "/salesforce/sobjects/Account",
            "/erp/tryton/party", "/erp/tryton/sale", "/erp/tryton/invoice", "/billing/killbill/subscription",
            "/billing/killbill/invoice", "/billing/killbill/payment");

    /** The verbs of each canonical object; the object names the schema (canonical/<object>.v1.json). */
    static final Map<String, List<String>> TYPES = Map.of(
            "account", List.of("created", "updated", "deleted", "undeleted"),
            "order", List.of("activated", "accepted", "rejected", "billing-activated"),
            "invoice", List.of("issued", "updated"),
            "payment", List.of("received", "failed"),
            "contract-change", List.of("requested", "accepted", "rejected", "billing-applied"));

    /** revops.<object>.<verb>.v1, both kebab-case: revops.contract-change.billing-applied.v1 */
    private static final Pattern TYPE = Pattern.compile("revops\\.([a-z]+(?:-[a-z]+)*)\\.([a-z]+(?:-[a-z]+)*)\\.v1");

    private EventAttributes() {
    }

    /**
     * @param idDerived the consumer derived the id because the event had none (header revops_derived_id)
     * @param topic     the Kafka topic it came from, null when unknown (produce side, tests)
     * @return the canonical object the event carries, e.g. "order"
     */
    static String check(String specversion, String id, boolean idDerived, String type, String source, String subject,
            String time, String topic) {
        if (!CloudEvent.SPEC_VERSION.equals(specversion)) {
            throw invalid("ce_specversion", specversion == null ? "missing" : "is " + Excerpt.of(specversion)
                    + ", only 1.0 is accepted");
        }
        if (idDerived) {
            throw invalid("ce_id", "missing (the runtime derived " + Excerpt.of(id) + " to record it)");
        }
        identifier("ce_id", id);
        identifier("ce_type", type);
        identifier("ce_source", source);
        identifier("ce_subject", subject);
        if (!SOURCES.contains(source)) {
            throw invalid("ce_source", Excerpt.of(source) + " is not a known source");
        }
        Matcher matcher = TYPE.matcher(type);
        if (!matcher.matches() || !TYPES.containsKey(matcher.group(1))
                || !TYPES.get(matcher.group(1)).contains(matcher.group(2))) {
            throw invalid("ce_type", Excerpt.of(type) + " is not a known canonical event type");
        }
        String object = matcher.group(1);
        if (topic != null && !topic.equals("revops." + object + ".v1")) {
            throw invalid("ce_type", type + " does not belong on topic " + Excerpt.of(topic));
        }
        if (time != null) {
            try {
                OffsetDateTime.parse(time);
            } catch (DateTimeParseException e) {
                throw invalid("ce_time", Excerpt.of(time) + " is not an ISO-8601 timestamp");
            }
        }
        return object;
    }

    private static void identifier(String attribute, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(attribute, "missing");
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid(attribute, value.length() + " characters long, at most " + MAX_LENGTH + " allowed: "
                    + Excerpt.of(value));
        }
        if (Excerpt.containsUnsafe(value)) {
            throw invalid(attribute, "contains control or bidirectional characters: " + Excerpt.of(value));
        }
    }

    private static BusinessException invalid(String attribute, String why) {
        return new BusinessException(CanonicalEvents.INVALID_EVENT, attribute + ": " + why);
    }
}
