package dev.pwcheck.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pwcheck.hash.PasswordHasher;
import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.problem.ProblemException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a check request body into the hash to look up. Parsed by hand from the JSON tree rather than bound to a
 * class, so that a number where a string belongs is refused instead of coerced, duplicate keys are refused
 * instead of last-one-wins, and no parser message (which quotes the input) can reach an answer.
 */
final class CheckRequest {

    static final String PASSWORD = "password";
    static final String SHA1 = "sha1";
    static final String FLOW = "flow";
    static final String CONTEXT = "context";
    static final String MFA = "mfa";
    static final int MAX_CONTEXT_BYTES = 256;
    private static final List<String> CONTEXT_FIELDS = List.of("username", "email", "name");
    private static final List<String> FIELDS = List.of(PASSWORD, SHA1, FLOW, CONTEXT, MFA);
    /** A field name quoted back in a refusal: a plain word. Anything else (long, odd bytes) is described, not quoted. */
    private static final java.util.regex.Pattern QUOTABLE = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    /**
     * What a request asks: the hash to look up, the flow it comes from (null when it names none), whether the user
     * has a second factor (null when the request does not say), the reasons the password breaks the flow's rule, and
     * whether the answer lists reasons (the request used the whole-password fields, or a rule refused the password).
     */
    record Parsed(Sha1Hash hash, Flow flow, Boolean mfa, List<Reason> ruleReasons, boolean listsReasons) {
    }

    private static final ObjectReader READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private CheckRequest() {
    }

    /** @throws ProblemException 400 describing which rule the body breaks, never quoting it */
    static Parsed parse(byte[] body, PasswordRules rules) {
        JsonNode json = tree(body);
        if (!json.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        // A typo ("flwo") must not turn the flow's policy off in silence.
        json.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw ProblemException.badRequest("unknown field " + quoted(field) + ": the body holds password or sha1, and may hold flow, context and mfa");
            }
        });
        // Everything else first: a bad flow, context or mfa must not cost a password hash.
        Flow flow = flowOf(json.get(FLOW));
        JsonNode contextNode = json.get(CONTEXT);
        PasswordContext context = contextOf(contextNode);
        Boolean mfa = mfaOf(json.get(MFA));
        Sha1Hash hash = hashOf(json);
        JsonNode password = json.get(PASSWORD);
        // A sha1 request cannot be measured or compared: the corpus answers it alone.
        List<Reason> reasons = password == null ? List.of() : rules.apply(flow, password.textValue(), context, mfa);
        boolean listsReasons = contextNode != null && !contextNode.isNull() || mfa != null || !reasons.isEmpty();
        return new Parsed(hash, flow, mfa, reasons, listsReasons);
    }

    private static PasswordContext contextOf(JsonNode context) {
        if (context == null || context.isNull()) {
            return PasswordContext.NONE;
        }
        if (!context.isObject()) {
            throw ProblemException.badRequest("\"context\" must be an object with username, email and name");
        }
        context.fieldNames().forEachRemaining(field -> {
            if (!CONTEXT_FIELDS.contains(field)) {
                throw ProblemException.badRequest("unknown field " + quoted("context." + field) + ": \"context\" may hold only username, email and name");
            }
        });
        return new PasswordContext(contextValue(context, "username"), contextValue(context, "email"), contextValue(context, "name"));
    }

    /** The field's name in quotes when it is a plain word; never a value, and never bytes that could be one. */
    private static String quoted(String field) {
        return QUOTABLE.matcher(field).matches() ? "\"" + field + "\"" : "(a name that is not a plain word)";
    }

    private static String contextValue(JsonNode context, String field) {
        JsonNode value = context.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.badRequest("\"context." + field + "\" must be a string");
        }
        if (value.textValue().getBytes(StandardCharsets.UTF_8).length > MAX_CONTEXT_BYTES) {
            throw ProblemException.badRequest("\"context." + field + "\" must be at most " + MAX_CONTEXT_BYTES + " bytes of UTF-8");
        }
        return value.textValue();
    }

    private static Boolean mfaOf(JsonNode mfa) {
        if (mfa == null || mfa.isNull()) {
            return null;
        }
        if (!mfa.isBoolean()) {
            throw ProblemException.badRequest("\"mfa\" must be true or false");
        }
        return mfa.booleanValue();
    }

    private static Flow flowOf(JsonNode flow) {
        // An explicit null is how many serializers write an unset optional field: no flow.
        if (flow == null || flow.isNull()) {
            return null;
        }
        if (!flow.isTextual()) {
            throw ProblemException.badRequest("\"flow\" must be a string: " + Flow.wireNames());
        }
        return Flow.fromWire(flow.textValue())
                .orElseThrow(() -> ProblemException.badRequest("\"flow\" must be " + Flow.wireNames()));
    }

    private static Sha1Hash hashOf(JsonNode json) {
        JsonNode password = json.get(PASSWORD);
        JsonNode sha1 = json.get(SHA1);
        if (password != null && sha1 != null) {
            throw ProblemException.badRequest("send either \"password\" or \"sha1\", not both");
        }
        if (password == null && sha1 == null) {
            throw ProblemException.badRequest("the body must hold \"password\" or \"sha1\"");
        }
        if (password != null) {
            if (!password.isTextual()) {
                throw ProblemException.badRequest("\"password\" must be a string");
            }
            try {
                return PasswordHasher.hash(password.textValue());
            } catch (PasswordHasher.InvalidPasswordException e) {
                throw ProblemException.badRequest(e.getMessage());
            }
        }
        if (!sha1.isTextual()) {
            throw ProblemException.badRequest("\"sha1\" must be a string");
        }
        try {
            return Sha1Hash.ofHex(sha1.textValue());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("\"sha1\" must be 40 hexadecimal characters");
        }
    }

    private static JsonNode tree(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        try {
            JsonNode json = READER.readTree(body);
            if (json == null || json.isMissingNode()) {
                throw ProblemException.badRequest("the body must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read");
        }
    }
}
