package dev.pwcheck.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenAPI document's front matter ({@code /q/openapi}). Declaring the JAX-RS application changes nothing
 * else: every resource is still found and served from the root path.
 */
@OpenAPIDefinition(
        info = @Info(title = "pwcheck", version = "1",
                description = "Compromised-password checks against the Pwned Passwords corpus by k-anonymity, and the HIBP range API"
                        + " served from cache or offline mirror. Errors are application/problem+json (RFC 9457) and never quote the request.",
                license = @License(name = "Pwned Passwords data: CC BY 4.0, haveibeenpwned.com",
                        url = "https://creativecommons.org/licenses/by/4.0/")),
        // Relative: the document describes whichever deployment serves it.
        servers = @Server(url = "/", description = "the service that serves this document"),
        tags = {
                @Tag(name = "check", description = "Is this password in the corpus?"),
                @Tag(name = "range", description = "The HIBP range API (k-anonymity)"),
                @Tag(name = "widget", description = "The registration-form widget") })
@SecurityScheme(securitySchemeName = ApiDocs.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A caller's API key (pwcheck.auth.api-key-hashes holds its SHA-256); required on /v1/* when keys are configured")
public class ApiDocs extends Application {

    public static final String API_KEY = "apiKey";

    public static final String PROBLEM = "application/problem+json";

    public static final String BAD_REQUEST_EXAMPLE = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
            + "\"detail\":\"\\\"sha1\\\" must be 40 hexadecimal characters\"}";
    public static final String UNAUTHORIZED_EXAMPLE = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"send the caller's API key as Authorization: Bearer <key>\"}";
    public static final String FORBIDDEN_EXAMPLE = "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
            + "\"detail\":\"the API key is not valid\"}";
    public static final String TOO_LARGE_EXAMPLE = "{\"type\":\"about:blank\",\"title\":\"Request Entity Too Large\",\"status\":413,"
            + "\"detail\":\"the request body is over 8192 bytes\"}";
    public static final String UNSUPPORTED_EXAMPLE = "{\"type\":\"about:blank\",\"title\":\"Unsupported Media Type\",\"status\":415,"
            + "\"detail\":\"send the body as application/json\"}";
    public static final String TOO_MANY_EXAMPLE = "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
            + "\"detail\":\"too many requests; retry after 1 s\"}";
    public static final String UNAVAILABLE_EXAMPLE = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
            + "\"detail\":\"the range is not cached and the upstream cannot be reached; try again shortly\"}";
    public static final String NOT_ACCEPTABLE_EXAMPLE = "{\"type\":\"about:blank\",\"title\":\"Not Acceptable\",\"status\":406,"
            + "\"detail\":\"this resource cannot answer in a media type the Accept header allows\"}";
}
