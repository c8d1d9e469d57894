package dev.pwcheck.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves as {@code application/problem+json}; none carries a stack trace or the request's content. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            return unexpected(e);
        }
        return Problem.of(status, describe(status.getStatusCode())).toResponse();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        // The class only: messages from parsers and libraries can quote the input.
        LOG.errorf("Unexpected failure answering a request: %s", e.getClass().getName());
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "the service failed to answer; try again").toResponse();
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "the request is not valid";
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "this resource cannot answer in a media type the Accept header allows";
            case 413 -> "the request body is too large";
            case 415 -> "send the body as application/json";
            default -> "the request cannot be answered";
        };
    }
}
