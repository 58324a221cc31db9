package io.revops.bridge.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.revops.bridge.policy.StoredText;
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
    @Inject
    LineageRecorder lineage;

    @GET
    @RolesAllowed("viewer")
    @Operation(summary = "The timeline of one business key (account id, order number, ...) or one correlation id")
    public List<Hop> timeline(@QueryParam("businessKey") String businessKey, @QueryParam("correlationId") String correlationId)
            throws SQLException {
        if ((businessKey == null) == (correlationId == null)) {
            throw ProblemException.badRequest("give exactly one of businessKey or correlationId");
        }
        // lineage is searched by the indexed key forms (policy.StoredText); dead letters by business key form or by the
        // stored correlation id
        String value = businessKey != null ? businessKey : correlationId;
        String lineageColumn = businessKey != null ? "business_key_key" : "correlation_key";
        String deadLetterColumn = businessKey != null ? "business_key_key" : "correlation_id";
        List<Hop> hops = new ArrayList<>();
        lineage.awaitRecorded(); // hops written behind the routes: the ones recorded until now are in the answer
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("""
                        SELECT at, route_id, outcome, event_id, event_type, correlation_id, business_key, detail FROM lineage
                        WHERE %1$s = ?
                        UNION ALL
                        SELECT last_failed_at, route_id, 'dead-letter:' || status, event_id, event_type, correlation_id,
                               business_key, reason_code || ': ' || COALESCE(exception_message, '') FROM dead_letter
                        WHERE %2$s = ?
                        ORDER BY 1""".formatted(lineageColumn, deadLetterColumn))) {
            select.setString(1, StoredText.keyOf(value));
            select.setString(2, businessKey != null ? StoredText.keyOf(value) : StoredText.escape(value));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    hops.add(new Hop(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), text(rs, 4),
                            text(rs, 5), text(rs, 6), text(rs, 7), text(rs, 8)));
                }
            }
        }
        return hops;
    }

    private static String text(ResultSet rs, int column) throws SQLException {
        return StoredText.unescape(rs.getString(column));
    }
}
