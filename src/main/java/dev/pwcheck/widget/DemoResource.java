package dev.pwcheck.widget;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /demo/register.html}: a registration form using the widget, when {@code pwcheck.demo.enabled}. */
@Path("/demo")
public class DemoResource {

    private final boolean enabled;
    private final StaticAsset page = StaticAsset.load("demo/register.html", MediaType.TEXT_HTML + "; charset=utf-8");

    DemoResource(DemoConfig config) {
        this.enabled = config.enabled();
    }

    @GET
    @Path("/register.html")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Demo registration page using the widget (only when pwcheck.demo.enabled=true)", hidden = true)
    public Response register(@Context Request request) {
        if (!enabled) {
            throw new NotFoundException(); // answered as the same 404 problem as any unknown path
        }
        return page.serve(request, "no-cache");
    }
}
