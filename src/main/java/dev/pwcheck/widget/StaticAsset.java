package dev.pwcheck.widget;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file shipped in the jar, read once, served with a strong ETag so browsers revalidate cheaply. */
final class StaticAsset {

    private final byte[] bytes;
    private final String mediaType;
    private final EntityTag etag;

    private StaticAsset(byte[] bytes, String mediaType) {
        this.bytes = bytes;
        this.mediaType = mediaType;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            this.etag = new EntityTag(HexFormat.of().formatHex(digest, 0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static StaticAsset load(String resource, String mediaType) {
        try (InputStream in = StaticAsset.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return new StaticAsset(in.readAllBytes(), mediaType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response serve(Request request, String cacheControl) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
        Response.ResponseBuilder response = notModified != null ? notModified : Response.ok(bytes, mediaType);
        return response.tag(etag).header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }
}
