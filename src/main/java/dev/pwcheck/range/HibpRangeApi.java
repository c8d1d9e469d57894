package dev.pwcheck.range;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

/** The HIBP range API as the wire sees it. Only {@link RangeClient} uses it, so it stays package-private. */
@RegisterRestClient(configKey = "hibp")
@Path("/range")
interface HibpRangeApi {

    /** Padding is always asked for so that the size of the answer says nothing about the prefix. */
    @GET
    @Path("/{prefix}")
    @ClientHeaderParam(name = "Add-Padding", value = "true")
    Uni<RestResponse<byte[]>> range(@PathParam("prefix") String prefix, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        Duration retryAfter = retryAfter(response.getHeaderString("Retry-After"));
        if (status == 429) {
            return new UpstreamException(FailureCause.RATE_LIMITED, "upstream rate limit (429)", status, retryAfter);
        }
        if (status >= 500) {
            return new UpstreamException(FailureCause.SERVER_ERROR, "upstream server error (" + status + ")", status, retryAfter);
        }
        return new UpstreamException(FailureCause.UNEXPECTED_STATUS, "upstream answered " + status, status, null);
    }

    /** Retry-After in its seconds form; the HTTP-date form is ignored (then our own back-off applies). */
    private static Duration retryAfter(String header) {
        if (header == null || header.isBlank() || header.trim().length() > 9) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
