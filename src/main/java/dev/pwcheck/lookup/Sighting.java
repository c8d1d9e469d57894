package dev.pwcheck.lookup;

import dev.pwcheck.range.Source;

/**
 * What the sources say of one hash: the times it was seen and where that came from. {@link Source#NONE} (count 0)
 * when no source could tell; {@link Source#FALLBACK} only with a count above 0, since the fallback store holds a small
 * part of the corpus and its silence says nothing.
 */
public record Sighting(int count, Source source) {

    static final Sighting NONE = new Sighting(0, Source.NONE);
}
