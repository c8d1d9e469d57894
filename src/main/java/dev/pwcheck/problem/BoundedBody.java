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
 * large. The REST layer's own reading of a {@code byte[]} reads to the end, and past the HTTP layer's cap
 * ({@code quarkus.http.limits.max-body-size}) it answers a bare 413 itself and fails with an I/O error logged at ERROR. Most bodies never reach here that large
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
            // Read into one array of our own, wiped after its copy: readNBytes would leave the password in a buffer
            // of its own that nobody wipes.
            byte[] read = new byte[BodySizeLimit.MAX_BODY_BYTES + 1];
            int length = 0;
            try {
                for (int n; length < read.length && (n = entityStream.read(read, length, read.length - length)) > 0; ) {
                    length += n;
                }
                if (length > BodySizeLimit.MAX_BODY_BYTES) {
                    throw BodySizeLimit.tooLarge();
                }
                return new BoundedBody(Arrays.copyOf(read, length));
            } finally {
                Arrays.fill(read, (byte) 0);
            }
        }
    }
}
