package dev.pwcheck.range;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The HIBP range API as the wire sees it. Only {@link RangeClient} uses it, so it stays package-private. */
@RegisterRestClient(configKey = "hibp")
@RegisterProvider(UpstreamStatusMapper.class)
@Path("/range")
interface HibpRangeApi {

    /**
     * The answer arrives as it is read, so {@link RangeClient} can stop at the size cap instead of buffering
     * whatever a broken or hostile upstream sends. Padding is always asked for so that the size of the answer
     * says nothing about the prefix. {@code mode} is null for SHA-1 (no parameter sent) or {@code ntlm}. Any status
     * but 200 fails via {@link UpstreamStatusMapper}.
     */
    @GET
    @Path("/{prefix}")
    @ClientHeaderParam(name = "Add-Padding", value = "true")
    Multi<byte[]> range(@PathParam("prefix") String prefix, @QueryParam("mode") String mode,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent);
}
