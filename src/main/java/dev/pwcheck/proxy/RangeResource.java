package dev.pwcheck.proxy;

import dev.pwcheck.lookup.LookupOrder;
import dev.pwcheck.lookup.RangeUnavailableException;
import dev.pwcheck.problem.Problem;
import dev.pwcheck.range.CacheConfig;
import dev.pwcheck.range.RangeLookup;
import dev.pwcheck.range.Source;
import dev.pwcheck.security.RateLimited;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.pwcheck.api.ApiDocs;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


/**
 * {@code GET /range/{prefix}}: the HIBP range API served from our cache, so that existing HIBP clients and the
 * registration form's browser code can do k-anonymity checks against this service by changing only a base URL.
 * The answer is the same validated range the check endpoint uses, so the two always agree.
 */
@Path("/range")
@RateLimited
public class RangeResource {

    private final LookupOrder sources;
    private final String freshCacheControl;
    private final MeterRegistry registry;

    RangeResource(LookupOrder sources, CacheConfig cacheConfig, MeterRegistry registry) {
        this.sources = sources;
        this.registry = registry;
        // Browsers and proxies may keep a fresh range as long as we do; the corpus changes slowly.
        this.freshCacheControl = "public, max-age=" + cacheConfig.ttl().toSeconds();
    }

    @GET
    @Path("/{prefix}")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "getRange", summary = "The HIBP range API: every corpus hash (SHA-1, or NTLM with mode=ntlm) starting with a 5-hex prefix, as SUFFIX:COUNT lines",
            description = "Served from the cache or the offline mirror, fetched from the upstream when needed. Existing HIBP clients can use it"
                    + " by changing only their base URL.")
    @Tag(name = "range")
    @SecurityRequirements // none: browsers ask it, so it is open and rate-limited per client IP
    @APIResponse(responseCode = "200", description = "SUFFIX:COUNT lines, uppercase, sorted, CRLF-separated",
            headers = {
                    @Header(name = "ETag", description = "Weak validator of the range's content (padded or not)", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = Source.HEADER, description = "cache, upstream, stale or mirror", schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "range 5BAA6", value = "1E4C9B93F3F0682250B6CF8331B7EE68FD8:3861493\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD9:0")))
    @APIResponse(responseCode = "304", description = "Not modified (If-None-Match matched the ETag)")
    @APIResponse(responseCode = "400", description = "The prefix is not 5 hex digits, or mode is not sha1/ntlm",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "bad prefix", value = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                            + "\"detail\":\"the prefix must be 5 hexadecimal characters\"}")))
    @APIResponse(responseCode = "429", description = "The client IP's rate limit is spent; see Retry-After",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "rate limited", value = ApiDocs.TOO_MANY_EXAMPLE)))
    @APIResponse(responseCode = "503", description = "Not cached (or not in the mirror) and the upstream cannot be reached or gave no usable answer; see Retry-After",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unavailable", value = ApiDocs.UNAVAILABLE_EXAMPLE)))
    public Uni<Response> range(
            @Parameter(description = "5 hex digits, any case", example = "5BAA6", schema = @Schema(pattern = "^[0-9A-Fa-f]{5}$")) @PathParam("prefix") String prefix,
            @Parameter(description = "sha1 (default) or ntlm", schema = @Schema(enumeration = { "sha1", "ntlm" })) @QueryParam("mode") String mode,
            @Parameter(description = "true: pad the answer with random count-0 lines so its size says nothing") @HeaderParam("Add-Padding") String addPadding,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        RangePath asked = RangePath.parse(prefix, mode);
        boolean padded = addPadding != null && "true".equalsIgnoreCase(addPadding.trim());
        return sources.range(asked.mode(), asked.prefix())
                .map(lookup -> answer(lookup, padded, ifNoneMatch))
                .onFailure().recoverWithItem(failure -> unavailable(failure instanceof RangeUnavailableException
                        ? failure.getMessage() : LookupOrder.whyUnavailable(failure)));
    }

    private Response unavailable(String detail) {
        count(Source.NONE);
        return Response.fromResponse(Problem.of(Response.Status.SERVICE_UNAVAILABLE, detail).toResponse())
                .header(HttpHeaders.RETRY_AFTER, "5")
                .header(Source.HEADER, Source.NONE.header())
                .build();
    }

    private Response answer(RangeLookup lookup, boolean padded, String ifNoneMatch) {
        count(lookup.source());
        // Weak: padded answers differ byte for byte, but hold the same range.
        String etag = "W/\"" + lookup.range().fingerprint() + "\"";
        String cacheControl = lookup.source() == Source.STALE ? "no-cache" : freshCacheControl;
        Response.ResponseBuilder response = matches(ifNoneMatch, etag)
                ? Response.notModified()
                : Response.ok(RangeText.write(lookup.range(), padded), MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"));
        return response.header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header(HttpHeaders.VARY, "Add-Padding")
                .header(Source.HEADER, lookup.source().header())
                .build();
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || ("W/" + tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private void count(Source source) {
        registry.counter("pwcheck.range.requests", "source", source.header()).increment();
    }
}
