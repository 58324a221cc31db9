package io.revops.bridge.canonical;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A CloudEvents 1.0 envelope around a canonical object. On Kafka it travels in binary mode: the attributes are
 * {@code ce_*} record headers and {@link #data} is the JSON record value (see {@link #toKafkaHeaders()}).
 *
 * @param id            unique per event and stable across redeliveries: the idempotency key of every consumer
 * @param type          e.g. revops.account.updated.v1
 * @param source        the producing system and channel, e.g. /salesforce/data/AccountChangeEvent
 * @param subject       the business key (account id, order number, invoice number, payment id)
 * @param time          when the change happened in the source system (UTC)
 * @param correlationId the business transaction across every hop
 * @param causationId   the id of the event (or source change) that caused this one
 */
public record CloudEvent(
        String id,
        String type,
        String source,
        String subject,
        Instant time,
        String correlationId,
        String causationId,
        Object data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String HEADER_PREFIX = "ce_";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String SPECVERSION = "ce_specversion";
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String CAUSATION_ID = "ce_causationid";
    public static final String CONTENT_TYPE = "content-type";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(correlationId, "correlationId");
    }

    /** The Kafka binary-mode headers; values are strings (Camel serialises them as UTF-8). */
    public Map<String, Object> toKafkaHeaders() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(SPECVERSION, SPEC_VERSION);
        headers.put(ID, id);
        headers.put(TYPE, type);
        headers.put(SOURCE, source);
        headers.put(SUBJECT, subject);
        headers.put(TIME, time.toString());
        headers.put(CORRELATION_ID, correlationId);
        if (causationId != null) {
            headers.put(CAUSATION_ID, causationId);
        }
        headers.put(CONTENT_TYPE, "application/json");
        return headers;
    }

    /** The producing system, the first path segment of source ("/salesforce/..." -> "salesforce"). */
    public static String systemOf(String source) {
        if (source == null) {
            return null;
        }
        String s = source.startsWith("/") ? source.substring(1) : source;
        int slash = s.indexOf('/');
        return slash < 0 ? s : s.substring(0, slash);
    }
}
