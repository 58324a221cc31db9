package io.revops.bridge.ops;

import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of the REST API as a problem body, in every profile: refusals say what is wrong; the framework's own
 * refusals (unsupported media type, unknown path, wrong method) get the same shape; anything unexpected is a 500
 * whose detail is an incident id to find the stack trace in the log (never in the response).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refusal(ProblemException e, UriInfo uri) {
        return e.problem(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Problem problem = switch (status) {
            case 415 -> Problem.of(status, "unsupported-media-type", "send the body as application/json", uri.getPath());
            case 404 -> Problem.of(status, "not-found", "no such resource", uri.getPath());
            case 405 -> Problem.of(status, "method-not-allowed", "method not allowed on this resource", uri.getPath());
            default -> Problem.of(status, "http-" + status, "refused", uri.getPath());
        };
        return problem.toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Operations API incident %s on %s", incident, uri.getPath());
        return Problem.of(500, "unexpected-error", "unexpected error, incident " + incident + " in the runtime log",
                uri.getPath()).toResponse();
    }
}
