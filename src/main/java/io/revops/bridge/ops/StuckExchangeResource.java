package io.revops.bridge.ops;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/stuck-exchanges")
@Tag(name = "Stuck exchanges")
public class StuckExchangeResource {
    @Inject
    StuckExchanges stuckExchanges;

    @GET
    @RolesAllowed("viewer")
    @Operation(summary = "Exchanges inflight longer than the threshold, with route, current step, age and business key")
    public List<StuckExchanges.Stuck> list() {
        return stuckExchanges.list();
    }
}
