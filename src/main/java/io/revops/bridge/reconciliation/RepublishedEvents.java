package io.revops.bridge.reconciliation;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.revops.bridge.mapping.Json;
import io.revops.bridge.mapping.Mappings;

/**
 * The order, invoice and payment reconcilers' repairs: a record read again from its system of record, mapped by the
 * same mapping its inbound route applies, its event id replaced by one derived from the repair id (the routes'
 * idempotency has the original id already) and published as every repair is (RepairEvents).
 */
@ApplicationScoped
public class RepublishedEvents {
    private final RepairEvents repairs;
    private final Mappings mappings;
    private final Json json;

    @Inject
    public RepublishedEvents(RepairEvents repairs, Mappings mappings, Json json) {
        this.repairs = repairs;
        this.mappings = mappings;
        this.json = json;
    }

    /** Applies {@code mapping} as its route step does ({@code withHeaders}: input is {body, headers, variables}). */
    public Map<String, Object> map(String mapping, Object input) {
        return json.toMap(mappings.get(mapping).apply(json.toTree(input)));
    }

    /** Publishes the mapped event under the repair's event id; fails if Kafka did not take it. */
    public void publish(String topic, Map<String, Object> mapped, String repairId) throws SQLException {
        Map<String, Object> event = new LinkedHashMap<>(mapped);
        event.put("id", RepairEvents.eventId(repairId));
        event.put("causationId", mapped.get("id"));
        repairs.publish(topic, event, repairId);
    }
}
