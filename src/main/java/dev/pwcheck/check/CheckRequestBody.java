package dev.pwcheck.check;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The check request as the OpenAPI document describes it. The service does not bind to this class: it parses
 * the body itself (see CheckRequest) so that types are not coerced and duplicate keys are refused.
 */
@Schema(name = "CheckRequest", description = "Exactly one of password and sha1; flow, context and mfa are optional")
record CheckRequestBody(
        @Schema(description = "The password, any Unicode, hashed as UTF-8 bytes exactly as given (1 to 1024 bytes)", maxLength = 1024,
                example = "correct horse battery staple") String password,
        @Schema(description = "SHA-1 of the password, 40 hex digits, any case", pattern = "^[0-9A-Fa-f]{40}$",
                example = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8") String sha1,
        @Schema(description = "The call site; the answer then carries its action", enumeration = { "login", "registration", "reset", "api-key" })
        String flow,
        @Schema(description = "Who the password is for: a password made of these is refused (registration and reset). Never logged,"
                + " counted, sent upstream or answered back; ignored for a sha1 request") Context context,
        @Schema(description = "Whether the user has a second factor: false applies the flow's single-factor length (15 by default at"
                + " registration and reset); true answers a breached login or api-key reset-after-mfa") Boolean mfa) {

    @Schema(name = "CheckContext")
    record Context(
            @Schema(description = "The username", maxLength = 256) String username,
            @Schema(description = "The e-mail address; its local part is compared", maxLength = 256) String email,
            @Schema(description = "The person's name", maxLength = 256) String name) {
    }
}
