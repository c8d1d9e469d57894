package dev.pwcheck.client.spring;

import org.springframework.security.authentication.password.CompromisedPasswordDecision;

/**
 * Spring Security's decision with what pwcheck answered beside it: the corpus verdict, how many times the password was
 * seen, and the action the service's policy gives the flow (e.g. {@code require-reset} at login). Carries no password
 * and no hash.
 */
public final class PwcheckPasswordDecision extends CompromisedPasswordDecision {

    /** The corpus answer. {@link #UNKNOWN} when the service could not tell, or could not be asked. */
    public enum Verdict {
        BREACHED,
        CLEAN,
        UNKNOWN
    }

    private final Verdict verdict;
    private final long count;
    private final String action;
    private final String source;
    private final boolean answered;

    PwcheckPasswordDecision(boolean compromised, Verdict verdict, long count, String action, String source, boolean answered) {
        super(compromised);
        this.verdict = verdict;
        this.count = count;
        this.action = action;
        this.source = source;
        this.answered = answered;
    }

    public Verdict getVerdict() {
        return verdict;
    }

    /** Times the password was seen in breaches; 0 when clean or unknown. */
    public long getCount() {
        return count;
    }

    /**
     * The flow's action as the service answered it ({@code allow}, {@code require-reset}, {@code reset-after-mfa},
     * {@code accept}, {@code reject}), or, when the service could not be asked, the one this checker chose for the
     * flow by its {@code unreachableIsCompromised} setting. Null without a flow, and for a null password.
     */
    public String getAction() {
        return action;
    }

    /**
     * Where the service found the answer ({@code cache}, {@code upstream}, {@code stale}, {@code mirror},
     * {@code fallback}, {@code none}), from its {@code X-Pwcheck-Source} header; null when it was not asked.
     */
    public String getSource() {
        return source;
    }

    /** False when this decision was made without an answer from the service (unreachable, timed out, refused, unreadable). */
    public boolean isAnswered() {
        return answered;
    }

    @Override
    public String toString() {
        return "PwcheckPasswordDecision{compromised=" + isCompromised() + ", verdict=" + verdict + ", count=" + count
                + ", action=" + action + ", source=" + source + ", answered=" + answered + "}";
    }
}
