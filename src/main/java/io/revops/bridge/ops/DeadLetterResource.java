package io.revops.bridge.ops;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Operations API for dead letters: list and filter (paged), inspect, replay one or a filtered batch through the
 * same route and idempotency, discard with a reason. Reading needs the viewer role, changing needs operator;
 * every replay and discard is audited with who, when and why. Requests are read strictly (see {@link StrictJson})
 * and POSTs only accept application/json, which a browser cannot send cross-site without a CORS preflight.
 */
@Path("/api/v1/dead-letters")
@Tag(name = "Dead letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
    private static final Logger LOG = Logger.getLogger(DeadLetterResource.class);
    static final int MAX_PAGE_SIZE = 500;
    static final int MAX_REASON_LENGTH = 1000;

    public record Action(String reason) {
    }

    /** Which open dead letters to replay: a route or business key and a time window, or explicitly all. */
    public record BatchReplay(String routeId, String category, String businessKey, String from, String to, Boolean all,
            String reason) {
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
            @QueryParam("page") String page, @QueryParam("size") String size) throws SQLException {
        int pageNumber = number("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int pageSize = number("size", size, 50, 1, MAX_PAGE_SIZE);
        return repository.list(new DeadLetterFilter(route, category, businessKey, status, instant("from", from),
                instant("to", to)), pageNumber, pageSize);
    }

    @GET
    @Path("{id}")
    @RolesAllowed("viewer")
    @Operation(summary = "One dead letter with its payload, headers (credentials masked), exception and attempts")
    public DeadLetter inspect(@PathParam("id") String id) throws SQLException {
        return repository.find(id).orElseThrow(() -> new ProblemException(404, "not-found", "no dead letter " + id));
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
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(schema = @Schema(implementation = Action.class)))
    @Operation(summary = "Replay through the same route and idempotency; replaying what was already applied is a no-op")
    public Response replay(@PathParam("id") String id, String body) throws SQLException {
        Action action = StrictJson.read(body, Action.class);
        String reason = reason(action == null ? null : action.reason(), false);
        replayOne(inspect(id), reason);
        return Response.accepted(Map.of("replayed", id)).build();
    }

    @POST
    @Path("replay")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(schema = @Schema(implementation = BatchReplay.class)))
    @Operation(summary = "Replay every open dead letter of a route or business key in a time window (or, explicitly, all)")
    public BatchResult replayAll(String body) throws SQLException {
        BatchReplay batch = StrictJson.read(body, BatchReplay.class);
        DeadLetterFilter filter = batchFilter(batch);
        String reason = reason(batch.reason(), false);
        List<String> replayed = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (DeadLetter deadLetter : repository.all(filter)) {
            try {
                replayOne(deadLetter, reason);
                replayed.add(deadLetter.id());
            } catch (ProblemException e) {
                refused.put(deadLetter.id(), e.getMessage());
            }
        }
        return new BatchResult(replayed, refused);
    }

    @POST
    @Path("{id}/discard")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(schema = @Schema(implementation = Action.class)))
    @Operation(summary = "Discard a dead letter for good; a reason is required; discarding twice is a conflict")
    public DeadLetter discard(@PathParam("id") String id, String body) throws SQLException {
        Action action = StrictJson.read(body, Action.class);
        String reason = reason(action == null ? null : action.reason(), true);
        inspect(id);
        if (!repository.record(id, "discarded", "discard", actor(), reason)) {
            throw ProblemException.conflict("dead letter " + id + " is already discarded");
        }
        LOG.infof("Dead letter %s discarded by %s", id, actor());
        return inspect(id);
    }

    private void replayOne(DeadLetter deadLetter, String reason) throws SQLException {
        if ("discarded".equals(deadLetter.status())) {
            throw ProblemException.conflict("dead letter " + deadLetter.id() + " was discarded: it cannot be replayed");
        }
        try {
            replayer.replay(deadLetter);
        } catch (DeadLetterReplayer.NotReplayable e) {
            throw ProblemException.conflict(e.getMessage());
        } catch (DeadLetterReplayer.TooLarge e) {
            throw new ProblemException(422, "too-large-to-replay", e.getMessage());
        }
        if (!repository.record(deadLetter.id(), "replayed", "replay", actor(), reason)) {
            throw ProblemException.conflict("dead letter " + deadLetter.id() + " was discarded while it was replayed");
        }
        LOG.infof("Dead letter %s of route %s replayed by %s", deadLetter.id(), deadLetter.routeId(), actor());
    }

    /** A batch replays open dead letters only, and only what the operator named: never "everything" by omission. */
    private static DeadLetterFilter batchFilter(BatchReplay batch) {
        if (batch == null) {
            throw ProblemException.badRequest("a filter is required: routeId or businessKey, with from and to;"
                    + " or \"all\": true");
        }
        Instant from = instant("from", batch.from());
        Instant to = instant("to", batch.to());
        if (!Boolean.TRUE.equals(batch.all())) {
            if (batch.routeId() == null && batch.businessKey() == null || from == null || to == null) {
                throw ProblemException.badRequest("a batch replay names routeId or businessKey and a time window"
                        + " (from and to), or says \"all\": true");
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.badRequest("from must be before to");
        }
        return new DeadLetterFilter(batch.routeId(), batch.category(), batch.businessKey(), "open", from, to);
    }

    private static String reason(String reason, boolean required) {
        if (required && (reason == null || reason.isBlank())) {
            throw ProblemException.badRequest("a reason is required to discard a dead letter");
        }
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw ProblemException.badRequest("reason is " + reason.length() + " characters long; at most "
                    + MAX_REASON_LENGTH + " are kept");
        }
        return reason;
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static int number(String name, String value, int absent, int min, int max) {
        if (value == null) {
            return absent;
        }
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
            throw ProblemException.badRequest(name + " must be a whole number between " + min + " and " + max + ", not '"
                    + abbreviate(value) + "'");
        }
        return Integer.parseInt(value);
    }

    private static Instant instant(String name, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an ISO-8601 instant, e.g. 2026-11-22T10:00:00Z, not '"
                    + abbreviate(value) + "'");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
