package io.revops.bridge.ops;

import java.sql.SQLException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail of route actions taken over Jolokia (Hawtio): who stopped or started which route, when, from where. */
@Path("/api/v1/operator-actions")
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
public class OperatorActionResource {
    @Inject
    OperatorActions actions;

    @GET
    @RolesAllowed("viewer")
    @Operation(summary = "The last 200 operator actions taken over Jolokia, newest first")
    public List<OperatorActions.Entry> recent() throws SQLException {
        return actions.recent(200);
    }
}
