package dev.pwcheck.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The body of a check answer. */
@Schema(name = "CheckResponse")
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResponse(
        @Schema(description = "breached, clean or unknown", enumeration = { "breached", "clean", "unknown" }) Verdict verdict,
        @Schema(description = "Times seen in breaches; 0 when clean or unknown", example = "3861493") long count,
        @Schema(description = "Only when the request names a flow: what its caller should do (login: allow, require-reset, or with"
                + " \"mfa\": true reset-after-mfa; registration and reset: accept or reject; api-key: accept, reject, or with \"mfa\": true"
                + " reset-after-mfa), considering every reason",
                enumeration = { "allow", "require-reset", "reset-after-mfa", "accept", "reject" }) Action action,
        @Schema(description = "Why the password is refused or at risk: present when the request carries context or mfa, or when a"
                + " length or context-word rule refused the password (so answers to earlier requests are unchanged); empty when"
                + " nothing is wrong") List<Reason> reasons) {

    static CheckResponse of(CheckResult result, Action action, List<Reason> reasons) {
        return new CheckResponse(result.verdict(), result.count(), action, reasons);
    }
}
