package dev.pwcheck.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;

/**
 * One reason a password is refused (or, for {@code breached}, at risk), as the answer names it: a code and the one
 * number or field that explains it. Never the word or the value that matched: a context word is named by the field
 * it came from.
 */
@Schema(name = "Reason")
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(
        @Schema(description = "breached, too-short, too-long or context-word", enumeration = { "breached", "too-short", "too-long", "context-word" }) Code code,
        @Schema(description = "breached: times seen in breaches") Long count,
        @Schema(description = "too-short: the least number of characters (Unicode code points, NFC)") Integer min,
        @Schema(description = "too-long: the most UTF-8 bytes") Integer max,
        @Schema(description = "context-word: where the word came from", enumeration = { "service", "username", "email", "name" }) String field) {

    public enum Code {
        BREACHED,
        TOO_SHORT,
        TOO_LONG,
        CONTEXT_WORD;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static Reason breached(long count) {
        return new Reason(Code.BREACHED, count, null, null, null);
    }

    static Reason tooShort(int min) {
        return new Reason(Code.TOO_SHORT, null, min, null, null);
    }

    static Reason tooLong(int max) {
        return new Reason(Code.TOO_LONG, null, null, max, null);
    }

    static Reason contextWord(String field) {
        return new Reason(Code.CONTEXT_WORD, null, null, null, field);
    }
}
