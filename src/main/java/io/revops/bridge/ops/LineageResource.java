package io.revops.bridge.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "Where is account 001... / order 00012345 and what happened to it": every hop in time order, dead letters included. */
@Path("/api/v1/lineage")
@Tag(name = "Lineage")
public class LineageResource {
    public record Hop(Instant at, String routeId, String outcome, String eventId, String eventType, String correlationId,
            String businessKey, String detail) {
    }

    @Inject
    DataSource dataSource;

    @GET
    @RolesAllowed("viewer")
    @Operation(summary = "The timeline of one business key (account id, order number, ...) or one correlation id")
    public List<Hop> timeline(@QueryParam("businessKey") String businessKey, @QueryParam("correlationId") String correlationId)
            throws SQLException {
        if ((businessKey == null) == (correlationId == null)) {
            throw ProblemException.badRequest("give exactly one of businessKey or correlationId");
        }
        String column = businessKey != null ? "business_key" : "correlation_id";
        String value = businessKey != null ? businessKey : correlationId;
        List<Hop> hops = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("""
                        SELECT at, route_id, outcome, event_id, event_type, correlation_id, business_key, detail FROM lineage
                        WHERE %1$s = ?
                        UNION ALL
                        SELECT last_failed_at, route_id, 'dead-letter:' || status, event_id, event_type, correlation_id,
                               business_key, reason_code || ': ' || COALESCE(exception_message, '') FROM dead_letter
                        WHERE %1$s = ?
                        ORDER BY 1""".formatted(column))) {
            select.setString(1, value);
            select.setString(2, value);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    hops.add(new Hop(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return hops;
    }
}
