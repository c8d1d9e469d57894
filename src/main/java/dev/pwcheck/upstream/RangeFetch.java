package dev.pwcheck.upstream;

import dev.pwcheck.format.CompactRange;
import dev.pwcheck.format.RangeValidator;

/**
 * What one upstream fetch gave: a new validated range with its validator, or (to a conditional request) word that the
 * range held is still current, with the validator to keep.
 */
public record RangeFetch(CompactRange range, RangeValidator validator) {

    public static RangeFetch changed(CompactRange range, RangeValidator validator) {
        return new RangeFetch(range, validator);
    }

    public static RangeFetch notModified(RangeValidator validator) {
        return new RangeFetch(null, validator);
    }

    /** True for a {@code 304}: the caller keeps the range it has. */
    public boolean notModified() {
        return range == null;
    }
}
