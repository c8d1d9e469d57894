package dev.pwcheck.widget;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

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
    @Operation(summary = "The registration-form widget (ES module): warns while the user types when a password has appeared in breaches")
    @org.eclipse.microprofile.openapi.annotations.tags.Tag(name = "widget")
    public Response widget(@Context Request request) {
        // Short max-age: a fixed widget reaches the forms within the hour; the ETag makes revalidation cheap.
        return widget.serve(request, "public, max-age=3600");
    }
}
