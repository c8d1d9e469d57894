package dev.pwcheck.format;

/**
 * What the upstream said identifies the version of a range it sent: its {@code ETag} and {@code Last-Modified}, kept
 * with the cached range so that a refresh can ask "has it changed?" ({@code If-None-Match}, {@code If-Modified-Since})
 * and take a {@code 304} instead of the whole range again. Both come from an untrusted answer: a value that is too
 * long or holds anything but visible ASCII is dropped, so it can never smuggle a header line into a later request.
 */
public record RangeValidator(String etag, String lastModified) {

    /** An upstream that sent neither: its ranges are fetched whole again when their TTL ends. */
    public static final RangeValidator NONE = new RangeValidator(null, null);

    /** Longest value kept; real ETags are a quoted hash (HIBP's are under 40 characters). */
    public static final int MAX_CHARS = 128;

    public static RangeValidator of(String etag, String lastModified) {
        String e = usable(etag);
        String m = usable(lastModified);
        return e == null && m == null ? NONE : new RangeValidator(e, m);
    }

    public boolean isEmpty() {
        return etag == null && lastModified == null;
    }

    private static String usable(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_CHARS) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
        }
        return value;
    }
}
