package dev.pwcheck.check;

import dev.pwcheck.problem.BodySizeLimit;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Arrays;

@Path("/v1/passwords")
public class CheckResource {

    public static final String SOURCE_HEADER = "X-Pwcheck-Source";

    private final PasswordChecker checker;
    private final FlowPolicy policy;

    CheckResource(PasswordChecker checker, FlowPolicy policy) {
        this.checker = checker;
        this.policy = policy;
    }

    @POST
    @Path("/check")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Tell whether a password (or its SHA-1) appears in the Pwned Passwords corpus")
    public Uni<RestResponse<CheckResponse>> check(byte[] body) {
        CheckRequest.Parsed request;
        try {
            if (body != null && body.length > BodySizeLimit.MAX_BODY_BYTES) {
                throw BodySizeLimit.tooLarge();
            }
            request = CheckRequest.parse(body);
        } finally {
            if (body != null) {
                // The request bytes hold the password in clear; they need not outlive parsing.
                Arrays.fill(body, (byte) 0);
            }
        }
        Flow flow = request.flow();
        return checker.check(request.hash(), flow).map(result -> RestResponse.ResponseBuilder.ok(CheckResponse.of(result, policy.decide(flow, result.verdict())))
                .header(SOURCE_HEADER, result.source().header())
                .build());
    }
}
