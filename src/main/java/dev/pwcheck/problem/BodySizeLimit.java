package dev.pwcheck.problem;

import jakarta.ws.rs.core.Response;

/**
 * The body limit of the API. {@link RequestLimits} holds it for every request before an endpoint sees it (a declared
 * body before a byte is read, an HTTP/1.1 chunked one as it arrives); {@link BoundedBody} holds it for a body the check
 * endpoint reads itself (HTTP/2 without a length).
 */
public class BodySizeLimit {

    /** API contract: a check request is at most 8 KiB. */
    public static final int MAX_BODY_BYTES = 8 * 1024;

    /** The one 413 answer, whether the size was declared up front or found once a chunked body was read. */
    public static ProblemException tooLarge() {
        return new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the request body is over " + MAX_BODY_BYTES + " bytes");
    }
}
