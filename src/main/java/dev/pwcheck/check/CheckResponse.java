package dev.pwcheck.check;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a check answer. */
@Schema(name = "CheckResponse")
public record CheckResponse(
        @Schema(description = "breached, clean or unknown", enumeration = { "breached", "clean", "unknown" }) Verdict verdict,
        @Schema(description = "Times seen in breaches; 0 when clean or unknown", example = "3861493") long count) {

    static CheckResponse of(CheckResult result) {
        return new CheckResponse(result.verdict(), result.count());
    }
}
