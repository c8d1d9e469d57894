package dev.pwcheck.problem;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;

/**
 * A request body read up to {@link BodySizeLimit#MAX_BODY_BYTES} and never a byte past the one that proves it too
 * large. The REST layer's own reading of a {@code byte[]} reads to the end, and past the HTTP layer's cap (64 KiB) it
 * answers a bare 413 itself and fails with an I/O error logged at ERROR. Most bodies never reach here that large
 * ({@link RequestLimits} refuses a declared or HTTP/1.1 chunked one before), but an HTTP/2 body without a length is
 * framed only by the end of its stream and can only be measured as it is read: here.
 *
 * @param bytes the body; the caller wipes it once parsed, as it holds a password in clear
 */
public record BoundedBody(byte[] bytes) {

    @Provider
    @Consumes(MediaType.WILDCARD)
    public static class Reader implements MessageBodyReader<BoundedBody> {

        @Override
        public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == BoundedBody.class;
        }

        @Override
        public BoundedBody readFrom(Class<BoundedBody> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException, WebApplicationException {
            byte[] bytes = entityStream.readNBytes(BodySizeLimit.MAX_BODY_BYTES + 1);
            if (bytes.length > BodySizeLimit.MAX_BODY_BYTES) {
                Arrays.fill(bytes, (byte) 0);
                throw BodySizeLimit.tooLarge();
            }
            return new BoundedBody(bytes);
        }
    }
}
