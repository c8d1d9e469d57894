package dev.pwcheck.widget;

import dev.pwcheck.api.ApiDocs;
import dev.pwcheck.check.Flow;
import dev.pwcheck.check.PasswordRules;
import dev.pwcheck.problem.Problem;
import dev.pwcheck.problem.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * {@code GET /widget/rules?flow=registration}: a flow's password rule as the widget applies it while the person
 * types (the same limits and service words the check endpoint applies), so the page and the server never disagree.
 * Holds nothing secret: the limits, and the service's own words already normalized.
 */
@Path("/widget")
public class WidgetRulesResource {

    /** One flow's rule, for the widget. */
    @RegisterForReflection
    @Schema(name = "WidgetRules")
    public record Rules(String flow, int minLength, int minLengthSingleFactor, int maxBytes, boolean refuseContextWords,
            List<String> serviceWords) {
    }

    private final PasswordRules rules;

    WidgetRulesResource(PasswordRules rules) {
        this.rules = rules;
    }

    @GET
    @Path("/rules")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getWidgetRules", summary = "A flow's password rule (lengths, service words), as the widget applies it while the user types")
    @Tag(name = "widget")
    @SecurityRequirements // none: the registry's own pages read it
    @APIResponse(responseCode = "200", description = "The rule", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Rules.class),
            examples = @ExampleObject(name = "registration", value = "{\"flow\":\"registration\",\"minLength\":8,\"minLengthSingleFactor\":15,"
                    + "\"maxBytes\":0,\"refuseContextWords\":true,\"serviceWords\":[\"rubygems\"]}")))
    @APIResponse(responseCode = "400", description = "Not one of the flows login, registration, reset, api-key",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "bad flow", value = ApiDocs.BAD_REQUEST_EXAMPLE)))
    public Response rules(@QueryParam("flow") String flowName) {
        Flow flow = Flow.fromWire(flowName == null ? "registration" : flowName)
                .orElseThrow(() -> ProblemException.badRequest("\"flow\" must be " + Flow.wireNames()));
        PasswordRules.Limits limits = rules.limits(flow);
        Rules body = new Rules(flow.wire(), limits.minLength(), limits.minLengthSingleFactor(), limits.maxBytes(),
                limits.refuseContextWords(), rules.serviceWords());
        return Response.ok(body).header("Cache-Control", "public, max-age=300").build();
    }
}
