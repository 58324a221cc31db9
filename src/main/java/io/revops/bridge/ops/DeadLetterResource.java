package io.revops.bridge.ops;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Operations API for dead letters: list and filter (paged), inspect, replay one or a filtered batch through the
 * same route and idempotency, discard with a reason. Reading needs the viewer role, changing needs operator;
 * every replay and discard is audited with who, when and why.
 */
@Path("/api/v1/dead-letters")
@Tag(name = "Dead letters")
public class DeadLetterResource {
    private static final Logger LOG = Logger.getLogger(DeadLetterResource.class);
    private static final int MAX_PAGE_SIZE = 500;

    public record Action(String reason) {
    }

    public record BatchReplay(String routeId, String category, String businessKey, Instant from, Instant to, String reason) {
    }

    public record BatchResult(List<String> replayed, Map<String, String> refused) {
    }

    @Inject
    DeadLetterRepository repository;
    @Inject
    DeadLetterReplayer replayer;
    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed("viewer")
    @Operation(summary = "List dead letters, newest first, filtered by route, category, business key, status and time")
    public DeadLetterRepository.Page list(@QueryParam("route") String route, @QueryParam("category") String category,
            @QueryParam("businessKey") String businessKey, @QueryParam("status") String status,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) throws SQLException {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw error(Response.Status.BAD_REQUEST, "page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
        }
        return repository.list(new DeadLetterFilter(route, category, businessKey, status, instant(from), instant(to)), page, size);
    }

    @GET
    @Path("{id}")
    @RolesAllowed("viewer")
    @Operation(summary = "One dead letter with its payload, headers (credentials masked), exception and attempts")
    public DeadLetter inspect(@PathParam("id") String id) throws SQLException {
        return repository.find(id).orElseThrow(() -> error(Response.Status.NOT_FOUND, "no dead letter " + id));
    }

    @GET
    @Path("{id}/audit")
    @RolesAllowed("viewer")
    @Operation(summary = "Who replayed or discarded the dead letter, when and why")
    public List<DeadLetterRepository.AuditEntry> audit(@PathParam("id") String id) throws SQLException {
        inspect(id);
        return repository.audit(id);
    }

    @POST
    @Path("{id}/replay")
    @RolesAllowed("operator")
    @Operation(summary = "Replay through the same route and idempotency; replaying what was already applied is a no-op")
    public Response replay(@PathParam("id") String id, Action action) throws SQLException {
        DeadLetter deadLetter = inspect(id);
        if ("discarded".equals(deadLetter.status())) {
            throw error(Response.Status.CONFLICT, "dead letter " + id + " was discarded");
        }
        replayOne(deadLetter, action == null ? null : action.reason());
        return Response.accepted(Map.of("replayed", id)).build();
    }

    @POST
    @Path("replay")
    @RolesAllowed("operator")
    @Operation(summary = "Replay every open dead letter matching the filter")
    public BatchResult replayAll(BatchReplay batch) throws SQLException {
        if (batch == null) {
            throw error(Response.Status.BAD_REQUEST, "a filter is required");
        }
        List<String> replayed = new ArrayList<>();
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        for (DeadLetter deadLetter : repository.all(new DeadLetterFilter(batch.routeId(), batch.category(), batch.businessKey(),
                "open", batch.from(), batch.to()))) {
            try {
                replayOne(deadLetter, batch.reason());
                replayed.add(deadLetter.id());
            } catch (WebApplicationException e) {
                refused.put(deadLetter.id(), String.valueOf(((Map<?, ?>) e.getResponse().getEntity()).get("error")));
            }
        }
        return new BatchResult(replayed, refused);
    }

    @POST
    @Path("{id}/discard")
    @RolesAllowed("operator")
    @Operation(summary = "Discard a dead letter for good; a reason is required")
    public DeadLetter discard(@PathParam("id") String id, Action action) throws SQLException {
        if (action == null || action.reason() == null || action.reason().isBlank()) {
            throw error(Response.Status.BAD_REQUEST, "a reason is required to discard a dead letter");
        }
        inspect(id);
        repository.record(id, "discarded", "discard", actor(), action.reason());
        LOG.infof("Dead letter %s discarded by %s", id, actor());
        return inspect(id);
    }

    private void replayOne(DeadLetter deadLetter, String reason) throws SQLException {
        try {
            replayer.replay(deadLetter);
        } catch (DeadLetterReplayer.NotReplayable e) {
            throw error(Response.Status.CONFLICT, e.getMessage());
        }
        repository.record(deadLetter.id(), "replayed", "replay", actor(), reason);
        LOG.infof("Dead letter %s of route %s replayed by %s", deadLetter.id(), deadLetter.routeId(), actor());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    /** An error whose JSON body says what is wrong and, where it can, how to repair it. */
    private static WebApplicationException error(Response.Status status, String message) {
        return new WebApplicationException(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", message)).build());
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw error(Response.Status.BAD_REQUEST, "times are ISO-8601 instants, e.g. 2026-11-22T10:00:00Z: " + value);
        }
    }
}
