package dev.pwcheck.upstream;

import java.time.Duration;

/**
 * Names the failure an upstream status other than 200 (or a 304 to a conditional request) stands for, before any
 * body is read: a 204 or a redirect must not pass for an empty range, i.e. "clean".
 */
final class UpstreamStatus {

    private UpstreamStatus() {
    }

    static UpstreamException failure(int status, String retryAfterHeader) {
        Duration retryAfter = retryAfter(retryAfterHeader);
        if (status == 429) {
            return new UpstreamException(FailureCause.RATE_LIMITED, "upstream rate limit (429)", status, retryAfter);
        }
        if (status >= 500) {
            return new UpstreamException(FailureCause.SERVER_ERROR, "upstream server error (" + status + ")", status, retryAfter);
        }
        return new UpstreamException(FailureCause.UNEXPECTED_STATUS, "upstream answered " + status, status, null);
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
