package dev.pwcheck.range;

/** A range and where it came from. */
public record RangeLookup(CompactRange range, Source source) {
}
