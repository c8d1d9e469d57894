package dev.pwcheck.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a check answer. */
@Schema(name = "CheckResponse")
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResponse(
        @Schema(description = "breached, clean or unknown", enumeration = { "breached", "clean", "unknown" }) Verdict verdict,
        @Schema(description = "Times seen in breaches; 0 when clean or unknown", example = "3861493") long count,
        @Schema(description = "Only when the request names a flow: what its caller should do (login: allow or require-reset;"
                + " registration and reset: accept or reject)", enumeration = { "allow", "require-reset", "accept", "reject" }) Action action) {

    static CheckResponse of(CheckResult result, Action action) {
        return new CheckResponse(result.verdict(), result.count(), action);
    }
}
