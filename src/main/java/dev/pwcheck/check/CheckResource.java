package dev.pwcheck.check;

import dev.pwcheck.problem.BoundedBody;
import dev.pwcheck.range.Source;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import dev.pwcheck.api.ApiDocs;
import dev.pwcheck.problem.Problem;
import dev.pwcheck.security.CallerKeyRequired;
import dev.pwcheck.security.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

@Path("/v1/passwords")
@CallerKeyRequired
@RateLimited
public class CheckResource {


    private final PasswordChecker checker;
    private final FlowPolicy policy;
    private final PasswordRules rules;

    CheckResource(PasswordChecker checker, FlowPolicy policy, PasswordRules rules) {
        this.checker = checker;
        this.policy = policy;
        this.rules = rules;
    }

    @POST
    @Path("/check")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "checkPassword", summary = "Tell whether a password (or its SHA-1) appears in the Pwned Passwords corpus",
            description = "Hashes the password locally and looks up its range by k-anonymity; neither the password nor the full"
                    + " hash leaves the service. Never a 5xx for upstream trouble: the verdict is then unknown (or stale-cached).")
    @Tag(name = "check")
    @SecurityRequirement(name = ApiDocs.API_KEY)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CheckRequestBody.class),
            examples = {
                    @ExampleObject(name = "password", value = "{\"password\":\"correct horse battery staple\"}"),
                    @ExampleObject(name = "sha1", value = "{\"sha1\":\"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8\"}"),
                    @ExampleObject(name = "login flow", value = "{\"password\":\"P@ssw0rd\",\"flow\":\"login\"}"),
                    @ExampleObject(name = "api-key flow", value = "{\"password\":\"P@ssw0rd\",\"flow\":\"api-key\",\"mfa\":true}"),
                    @ExampleObject(name = "registration with context", value = "{\"password\":\"G3mcutter!\",\"flow\":\"registration\","
                            + "\"mfa\":false,\"context\":{\"username\":\"gemcutter\",\"email\":\"jane@example.com\"}}") }))
    @APIResponse(responseCode = "200", description = "The verdict",
            headers = @Header(name = Source.HEADER, description = "cache, upstream, stale, mirror, fallback (the top-N store while the upstream"
                    + " cannot answer: only with breached) or none (verdict unknown)",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "cache", "upstream", "stale", "mirror", "fallback", "none" })),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckResponse.class),
                    examples = {
                            @ExampleObject(name = "breached", value = "{\"verdict\":\"breached\",\"count\":3861493}"),
                            @ExampleObject(name = "clean", value = "{\"verdict\":\"clean\",\"count\":0}"),
                            @ExampleObject(name = "unknown", value = "{\"verdict\":\"unknown\",\"count\":0}"),
                            @ExampleObject(name = "login flow, breached", value = "{\"verdict\":\"breached\",\"count\":52256,\"action\":\"require-reset\"}"),
                            @ExampleObject(name = "api-key flow, breached, with MFA", value = "{\"verdict\":\"breached\",\"count\":52256,"
                                    + "\"action\":\"reset-after-mfa\",\"reasons\":[{\"code\":\"breached\",\"count\":52256}]}"),
                            @ExampleObject(name = "registration, refused by the rule", value = "{\"verdict\":\"clean\",\"count\":0,\"action\":\"reject\","
                                    + "\"reasons\":[{\"code\":\"too-short\",\"min\":15},{\"code\":\"context-word\",\"field\":\"username\"}]}") }))
    @APIResponse(responseCode = "400", description = "Malformed JSON, not exactly one of password/sha1, wrong types, bad sha1, empty or over-long password, unknown flow, an unknown field,"
            + " a context that is not an object of username/email/name strings of at most 256 bytes, an mfa that is not a boolean",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "bad sha1", value = ApiDocs.BAD_REQUEST_EXAMPLE)))
    @APIResponse(responseCode = "401", description = "No API key (when caller keys are configured)",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "no key", value = ApiDocs.UNAUTHORIZED_EXAMPLE)))
    @APIResponse(responseCode = "403", description = "An API key that is not configured",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "wrong key", value = ApiDocs.FORBIDDEN_EXAMPLE)))
    @APIResponse(responseCode = "413", description = "Body over 8 KiB",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "too large", value = ApiDocs.TOO_LARGE_EXAMPLE)))
    @APIResponse(responseCode = "415", description = "Content type other than application/json",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "not json", value = ApiDocs.UNSUPPORTED_EXAMPLE)))
    @APIResponse(responseCode = "429", description = "The caller's (or client IP's) rate limit is spent; see Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "rate limited", value = ApiDocs.TOO_MANY_EXAMPLE)))
    public Uni<RestResponse<CheckResponse>> check(BoundedBody bounded) {
        byte[] body = bounded == null ? null : bounded.bytes();
        CheckRequest.Parsed request;
        try {
            request = CheckRequest.parse(body, rules);
        } finally {
            if (body != null) {
                // The request bytes hold the password in clear; they need not outlive parsing.
                Arrays.fill(body, (byte) 0);
            }
        }
        Flow flow = request.flow();
        return checker.check(request.hash(), flow).map(result -> {
            List<Reason> reasons = new ArrayList<>(request.ruleReasons().size() + 1);
            if (result.verdict() == Verdict.BREACHED) {
                reasons.add(Reason.breached(result.count()));
            }
            reasons.addAll(request.ruleReasons());
            Action action = policy.decide(flow, result.verdict(), request.mfa(), reasons);
            return RestResponse.ResponseBuilder.ok(CheckResponse.of(result, action, request.listsReasons() ? reasons : null))
                    .header(Source.HEADER, result.source().header())
                    .build();
        });
    }
}
