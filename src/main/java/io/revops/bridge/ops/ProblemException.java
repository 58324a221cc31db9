package io.revops.bridge.ops;

import jakarta.ws.rs.WebApplicationException;

/** A refusal of the operations API: its status, the problem kind (the type URI's last segment) and a readable detail. */
public class ProblemException extends WebApplicationException {
    private final int status;
    private final String kind;

    public ProblemException(int status, String kind, String detail) {
        super(detail, status);
        this.status = status;
        this.kind = kind;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", detail);
    }

    public Problem problem(String instance) {
        return Problem.of(status, kind, getMessage(), instance);
    }
}
