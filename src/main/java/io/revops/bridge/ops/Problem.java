package io.revops.bridge.ops;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem body, the only error shape the operations API answers with: the type says which kind of
 * problem (a stable URN, urn:revops:problem:&lt;kind&gt;, the kinds listed in the README), detail says what is wrong
 * with this request and, where it can, how to repair it. Never a stack trace.
 */
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPES = "urn:revops:problem:";

    public static Problem of(int status, String kind, String detail, String instance) {
        return new Problem(TYPES + kind, Response.Status.fromStatusCode(status) == null ? kind
                : Response.Status.fromStatusCode(status).getReasonPhrase(), status, detail, instance);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
