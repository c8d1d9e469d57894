package dev.pwcheck.check;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The password rule beyond the corpus, per flow (NIST SP 800-63B-4): a least length, counted in Unicode code points
 * of the NFC form (15 when the password is the only factor, 8 otherwise), a most length in UTF-8 bytes (bcrypt's 72
 * where the registry hashes with it), and no context words. Applied to the password text while the request is
 * parsed, so that only the reasons outlive it.
 */
@ApplicationScoped
public class PasswordRules {

    /** One flow's limits, with the defaults applied. */
    public record Limits(int minLength, int minLengthSingleFactor, int maxBytes, boolean refuseContextWords) {
    }

    private final Map<Flow, Limits> limits = new EnumMap<>(Flow.class);
    private final List<String> serviceWords = new ArrayList<>();

    public PasswordRules(FlowConfig flows, CheckConfig check) {
        limits.put(Flow.LOGIN, limits(Flow.LOGIN, flows.login(), 0, 0, false));
        limits.put(Flow.REGISTRATION, limits(Flow.REGISTRATION, flows.registration(), 8, 15, true));
        limits.put(Flow.RESET, limits(Flow.RESET, flows.reset(), 8, 15, true));
        // As at login: the password already exists, and only the corpus says whether it must go.
        limits.put(Flow.API_KEY, limits(Flow.API_KEY, flows.apiKey(), 0, 0, false));
        for (String word : check.contextWords().orElse(List.of())) {
            for (String form : ContextWords.wordsOf(word.trim())) {
                if (!serviceWords.contains(form)) {
                    serviceWords.add(form);
                }
            }
        }
    }

    private static Limits limits(Flow flow, FlowConfig.Policy policy, int minLength, int minLengthSingleFactor, boolean contextWords) {
        Limits limits = new Limits(policy.minLength().orElse(minLength), policy.minLengthSingleFactor().orElse(minLengthSingleFactor),
                policy.maxBytes(), policy.refuseContextWords().orElse(contextWords));
        String key = "pwcheck.flows." + flow.wire() + ".";
        if (limits.minLength() < 0 || limits.minLengthSingleFactor() < 0 || limits.maxBytes() < 0) {
            throw new IllegalArgumentException(key + "min-length, min-length-single-factor and max-bytes must not be negative");
        }
        if (limits.maxBytes() > 0 && limits.maxBytes() < Math.max(limits.minLength(), limits.minLengthSingleFactor())) {
            throw new IllegalArgumentException(key + "max-bytes is below the least length: no password could pass");
        }
        return limits;
    }

    public Limits limits(Flow flow) {
        return limits.get(flow);
    }

    /** The service's context words, normalized (for the widget's copy of this rule). */
    public List<String> serviceWords() {
        return List.copyOf(serviceWords);
    }

    /** The reasons {@code password} breaks {@code flow}'s rule, in the order length, then context words. */
    List<Reason> apply(Flow flow, String password, PasswordContext context, Boolean mfa) {
        if (flow == null) {
            return List.of();
        }
        Limits limit = limits.get(flow);
        List<Reason> reasons = new ArrayList<>(2);
        int least = Boolean.FALSE.equals(mfa) && limit.minLengthSingleFactor() > 0 ? limit.minLengthSingleFactor() : limit.minLength();
        if (least > 0) {
            String nfc = Normalizer.normalize(password, Normalizer.Form.NFC);
            if (nfc.codePointCount(0, nfc.length()) < least) {
                reasons.add(Reason.tooShort(least));
            }
        }
        if (limit.maxBytes() > 0 && password.getBytes(StandardCharsets.UTF_8).length > limit.maxBytes()) {
            reasons.add(Reason.tooLong(limit.maxBytes()));
        }
        if (limit.refuseContextWords()) {
            String field = contextField(password, context);
            if (field != null) {
                reasons.add(Reason.contextWord(field));
            }
        }
        return reasons;
    }

    /** The first field whose words the password is (service, username, email, name), or null. */
    private String contextField(String password, PasswordContext context) {
        List<String> forms = ContextWords.forms(password);
        if (ContextWords.matches(forms, serviceWords)) {
            return "service";
        }
        if (context.username() != null && ContextWords.matches(forms, ContextWords.wordsOf(context.username()))) {
            return "username";
        }
        if (context.emailLocalPart() != null && ContextWords.matches(forms, ContextWords.wordsOf(context.emailLocalPart()))) {
            return "email";
        }
        if (context.name() != null && ContextWords.matches(forms, ContextWords.wordsOf(context.name()))) {
            return "name";
        }
        return null;
    }
}
