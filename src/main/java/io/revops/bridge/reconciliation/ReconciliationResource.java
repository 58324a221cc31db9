package io.revops.bridge.reconciliation;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.revops.bridge.ops.ProblemException;
import io.revops.bridge.ops.StrictJson;
import io.vertx.core.http.HttpServerRequest;

/**
 * Operations API of reconciliation: runs (list, start one now), drifts (list and filter, inspect, repair with a
 * reason). Reading needs the viewer role, starting a run or repairing needs operator; POSTs take application/json only,
 * as the dead-letter API's do (no cross-site form posts).
 */
@Path("/api/v1/reconciliation")
@Tag(name = "Reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {
    static final int MAX_REASON_LENGTH = 1000;
    private static final int MAX_LIMIT = 500;
    private static final List<String> STATUSES = List.of("open", "repair-requested", "repaired", "closed");

    /** POST runs takes an empty object (or no body): nothing to choose yet. */
    public record RunRequest() {
    }

    public record RepairRequest(String reason) {
    }

    @Inject
    ReconciliationStore store;
    @Inject
    ReconciliationRunner runner;
    @Inject
    DriftRepairs repairs;
    @Inject
    SecurityIdentity identity;
    @Context
    HttpServerRequest request;

    @GET
    @Path("runs")
    @RolesAllowed("viewer")
    @Operation(summary = "Reconciliation runs, newest first: trigger, status (running, completed, failed with its error), per object the cursor reached and the drifts found")
    public List<RunSummary> runs(@QueryParam("limit") String limit) throws SQLException {
        return store.runs(limit(limit));
    }

    @POST
    @Path("runs")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a run now; 409 while one is in progress")
    public Response startRun(String body) throws Exception {
        StrictJson.read(body, RunRequest.class);
        String id = runner.requestRun(identity.getPrincipal().getName());
        return Response.accepted(Map.of("id", id, "status", "running")).build();
    }

    @GET
    @Path("drifts")
    @RolesAllowed("viewer")
    @Operation(summary = "Drifts, most recently seen first, filtered by object, kind and status")
    public List<StoredDrift> drifts(@QueryParam("object") String object, @QueryParam("kind") String kind,
            @QueryParam("status") String status, @QueryParam("limit") String limit) throws SQLException {
        if (kind != null && Arrays.stream(DriftKind.values()).noneMatch(k -> k.wire().equals(kind))) {
            throw ProblemException.badRequest("unknown kind '" + abbreviate(kind) + "'; accepted: "
                    + String.join(", ", Arrays.stream(DriftKind.values()).map(DriftKind::wire).toList()));
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.badRequest("unknown status '" + abbreviate(status) + "'; accepted: "
                    + String.join(", ", STATUSES));
        }
        return store.drifts(new ReconciliationStore.DriftFilter(object, kind, status), limit(limit));
    }

    @GET
    @Path("drifts/{id}")
    @RolesAllowed("viewer")
    @Operation(summary = "One drift: what differs, since when, and its repair (who, why, repair id)")
    public StoredDrift drift(@PathParam("id") String id) throws SQLException {
        return store.find(id).orElseThrow(() -> new ProblemException(404, "not-found", "no drift " + abbreviate(id)));
    }

    @POST
    @Path("drifts/{id}/repair")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Repair through the normal routes: republishes the canonical event from the system of record; once per drift; a reason is required")
    public Response repair(@PathParam("id") String id, String body) throws SQLException {
        RepairRequest repair = StrictJson.read(body, RepairRequest.class);
        String reason = repair == null ? null : repair.reason();
        if (reason == null || reason.isBlank()) {
            throw ProblemException.badRequest("a reason is required to repair a drift, e.g. {\"reason\": \"party renamed in the ERP by mistake\"}");
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            throw ProblemException.badRequest("reason is " + reason.length() + " characters long; at most "
                    + MAX_REASON_LENGTH + " are kept");
        }
        StoredDrift repaired = repairs.repair(id, identity.getPrincipal().getName(),
                request == null ? null : request.remoteAddress().hostAddress(), "api", reason);
        return Response.accepted(repaired).build();
    }

    private static int limit(String value) {
        if (value == null) {
            return 100;
        }
        if (!value.matches("\\d{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be a whole number between 1 and " + MAX_LIMIT + ", not '"
                    + abbreviate(value) + "'");
        }
        return Integer.parseInt(value);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
