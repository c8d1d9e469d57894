package dev.pwcheck.check;

import dev.pwcheck.range.Source;

/** A verdict, the breach count behind it and where the range came from. */
public record CheckResult(Verdict verdict, long count, Source source) {

    static final CheckResult UNKNOWN = new CheckResult(Verdict.UNKNOWN, 0, Source.NONE);
}
