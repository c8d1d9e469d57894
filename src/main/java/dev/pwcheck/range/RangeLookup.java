package dev.pwcheck.range;

import dev.pwcheck.format.CompactRange;

/** A range and where it came from. */
public record RangeLookup(CompactRange range, Source source) {
}
