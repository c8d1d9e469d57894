package dev.pwcheck.widget;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import dev.pwcheck.api.ApiDocs;
import dev.pwcheck.problem.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /widget/pwcheck.js}: the registration-form widget, an ES module that checks the typed password in the
 * browser through {@code /range}. Always served: it is what the registry's own pages include.
 */
@Path("/widget")
public class WidgetResource {

    static final String JAVASCRIPT = "text/javascript; charset=utf-8";

    private final StaticAsset widget = StaticAsset.load("widget/pwcheck.js", JAVASCRIPT);

    @GET
    @Path("/pwcheck.js")
    @Produces(JAVASCRIPT)
    @Operation(operationId = "getWidget",
            summary = "The registration-form widget (ES module): warns while the user types when a password has appeared in breaches")
    @Tag(name = "widget")
    @SecurityRequirements // none: the registry's own pages include it
    @APIResponse(responseCode = "200", description = "The widget, an ES module", content = @Content(mediaType = JAVASCRIPT,
            schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Not modified (If-None-Match matched the ETag)")
    @APIResponse(responseCode = "406", description = "The Accept header allows no JavaScript",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "not acceptable", value = ApiDocs.NOT_ACCEPTABLE_EXAMPLE)))
    public Response widget(@Context Request request) {
        // Short max-age: a fixed widget reaches the forms within the hour; the ETag makes revalidation cheap.
        return widget.serve(request, "public, max-age=3600");
    }
}
