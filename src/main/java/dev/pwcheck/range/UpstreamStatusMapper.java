package dev.pwcheck.range;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import java.time.Duration;

/**
 * Turns every upstream answer that is not a usable 200 into an {@link UpstreamException} before its body is read:
 * any other status (a 204 or a redirect must not pass for an empty range, i.e. "clean"), and a 200 that declares
 * a body over the size cap.
 */
public class UpstreamStatusMapper implements ResponseExceptionMapper<UpstreamException> {

    private final long maxBodyBytes = ConfigProvider.getConfig()
            .getOptionalValue("pwcheck.upstream.max-body-bytes", Long.class).orElse(2L * 1024 * 1024);

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        // Status 0 is no answer at all (refused, reset): that failure travels as itself and is classified as connect.
        if (status <= 0) {
            return false;
        }
        return status != 200 || headers != null && declaredLength(headers.getFirst(HttpHeaders.CONTENT_LENGTH)) > maxBodyBytes;
    }

    @Override
    public UpstreamException toThrowable(Response response) {
        int status = response.getStatus();
        Duration retryAfter = retryAfter(response.getHeaderString("Retry-After"));
        if (status == 200) {
            return new UpstreamException(FailureCause.TOO_LARGE, "upstream range answer declares over " + maxBodyBytes + " bytes");
        }
        if (status == 429) {
            return new UpstreamException(FailureCause.RATE_LIMITED, "upstream rate limit (429)", status, retryAfter);
        }
        if (status >= 500) {
            return new UpstreamException(FailureCause.SERVER_ERROR, "upstream server error (" + status + ")", status, retryAfter);
        }
        return new UpstreamException(FailureCause.UNEXPECTED_STATUS, "upstream answered " + status, status, null);
    }

    private static long declaredLength(Object header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.toString().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Retry-After in its seconds form; the HTTP-date form is ignored (then our own back-off applies). */
    static Duration retryAfter(String header) {
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
