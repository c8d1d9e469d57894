package dev.pwcheck.problem;

import jakarta.ws.rs.core.Response;

/** Ends a request with a problem answer. No stack trace: it marks bad input, not a fault of ours. */
public class ProblemException extends RuntimeException {

    private final Response.Status status;

    public ProblemException(Response.Status status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }

    public Problem problem() {
        return Problem.of(status, getMessage());
    }
}
