package dev.pwcheck.problem;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Refuses a declared body over {@link #MAX_BODY_BYTES} before a byte of it is read. Bodies sent chunked are
 * measured by the resource once read, within {@code quarkus.http.limits.max-body-size}.
 */
public class BodySizeLimit {

    /** API contract: a check request is at most 8 KiB. */
    public static final int MAX_BODY_BYTES = 8 * 1024;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseLargeBodies(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return Optional.empty();
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Optional.of(Problem.of(Response.Status.BAD_REQUEST, "Content-Length is not a number").toResponse());
        }
        return declared > MAX_BODY_BYTES ? Optional.of(tooLarge().problem().toResponse()) : Optional.empty();
    }

    /** The one 413 answer, whether the size was declared up front or found once a chunked body was read. */
    public static ProblemException tooLarge() {
        return new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the request body is over " + MAX_BODY_BYTES + " bytes");
    }
}
