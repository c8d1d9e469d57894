package dev.pwcheck.check;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The check request as the OpenAPI document describes it. The service does not bind to this class: it parses
 * the body itself (see CheckRequest) so that types are not coerced and duplicate keys are refused.
 */
@Schema(name = "CheckRequest", description = "Exactly one of password and sha1; flow is optional")
record CheckRequestBody(
        @Schema(description = "The password, any Unicode, hashed as UTF-8 bytes exactly as given (1 to 1024 bytes)", maxLength = 1024,
                example = "correct horse battery staple") String password,
        @Schema(description = "SHA-1 of the password, 40 hex digits, any case", pattern = "^[0-9A-Fa-f]{40}$",
                example = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8") String sha1,
        @Schema(description = "The call site; the answer then carries its action", enumeration = { "login", "registration", "reset" })
        String flow) {
}
