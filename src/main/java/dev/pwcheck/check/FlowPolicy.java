package dev.pwcheck.check;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.pwcheck.mirror.service.BreachThresholds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a verdict and the rule's reasons into the action a flow's caller follows, by that flow's threshold, its
 * answer to unknown, and at login whether the user has a second factor.
 */
@ApplicationScoped
public class FlowPolicy {

    private final Map<Flow, Integer> minCounts = new EnumMap<>(Flow.class);
    private final Map<Flow, FlowConfig.OnUnknown> onUnknown = new EnumMap<>(Flow.class);
    private final Map<Flow, Map<Action, Counter>> actions = new EnumMap<>(Flow.class);
    private final int defaultMinCount;
    /** The flows where a breached password of a user with a second factor answers {@code reset-after-mfa}. */
    private final Set<Flow> resetAfterMfa = EnumSet.noneOf(Flow.class);
    private final Map<Flow, Map<Reason.Code, Counter>> refusals = new EnumMap<>(Flow.class);
    private final Map<String, Counter> breachedLogins = new java.util.HashMap<>();

    public FlowPolicy(FlowConfig flows, CheckConfig check, MeterRegistry registry) {
        this.defaultMinCount = check.minCount();
        configure(Flow.LOGIN, flows.login());
        configure(Flow.REGISTRATION, flows.registration());
        configure(Flow.RESET, flows.reset());
        configure(Flow.API_KEY, flows.apiKey());
        if (flows.login().onBreachedWithMfa() == FlowConfig.OnBreachedWithMfa.RESET_AFTER_MFA) {
            resetAfterMfa.add(Flow.LOGIN);
        }
        if (flows.apiKey().onBreachedWithMfa() == FlowConfig.ApiKeyOnBreachedWithMfa.RESET_AFTER_MFA) {
            resetAfterMfa.add(Flow.API_KEY);
        }
        for (Flow flow : Flow.values()) {
            Map<Action, Counter> counters = new EnumMap<>(Action.class);
            List<Action> possible = new java.util.ArrayList<>(List.of(flow.proceed(), flow.stop()));
            if (flow.mayResetAfterMfa()) {
                possible.add(Action.RESET_AFTER_MFA);
            }
            for (Action action : possible) {
                counters.put(action, Counter.builder("pwcheck.actions")
                        .description("Actions answered to flow callers")
                        .tag("flow", flow.wire())
                        .tag("action", action.wire())
                        .register(registry));
            }
            actions.put(flow, counters);
            Map<Reason.Code, Counter> byReason = new EnumMap<>(Reason.Code.class);
            for (Reason.Code code : Reason.Code.values()) {
                byReason.put(code, Counter.builder("pwcheck.refusals")
                        .description("Passwords a flow refused (or, at login, sent to a reset), by each reason given")
                        .tag("flow", flow.wire())
                        .tag("reason", code.wire())
                        .register(registry));
            }
            refusals.put(flow, byReason);
        }
        for (String mfa : new String[] { "true", "false", "unknown" }) {
            breachedLogins.put(mfa, Counter.builder("pwcheck.breached.logins")
                    .description("Logins with a breached password, by whether the user has a second factor (unknown: the request did not say)")
                    .tag("mfa", mfa)
                    .register(registry));
        }
    }

    private void configure(Flow flow, FlowConfig.Policy policy) {
        int minCount = policy.minCount().orElse(defaultMinCount);
        if (minCount < 1) {
            // Below 1, padding (count 0) would count as a breach.
            throw new IllegalArgumentException("pwcheck.flows." + flow.wire() + ".min-count must be at least 1");
        }
        minCounts.put(flow, minCount);
        onUnknown.put(flow, policy.onUnknown());
    }

    /** Every flow's threshold and the one without a flow, by key, for the mirror to hold a filter store to. */
    @Produces
    @Singleton
    BreachThresholds thresholds() {
        Map<String, Integer> byKey = new java.util.LinkedHashMap<>();
        byKey.put("pwcheck.min-count", defaultMinCount);
        for (Flow flow : Flow.values()) {
            byKey.put("pwcheck.flows." + flow.wire() + ".min-count", minCounts.get(flow));
        }
        return new BreachThresholds(byKey);
    }

    /** The breach threshold for {@code flow}; {@code pwcheck.min-count} when there is no flow. */
    int minCount(Flow flow) {
        return flow == null ? defaultMinCount : minCounts.get(flow);
    }

    /**
     * The action for {@code verdict} and the rule's {@code reasons} in {@code flow} (counted), or null for a check
     * without a flow. {@code mfa} is what the request said of a second factor (null: nothing).
     */
    Action decide(Flow flow, Verdict verdict, Boolean mfa, List<Reason> reasons) {
        if (flow == null) {
            return null;
        }
        boolean refusedByRule = reasons.stream().anyMatch(r -> r.code() != Reason.Code.BREACHED);
        Action action;
        if (verdict == Verdict.BREACHED && flow.mayResetAfterMfa()) {
            if (flow == Flow.LOGIN) {
                breachedLogins.get(mfa == null ? "unknown" : mfa.toString()).increment();
            }
            action = Boolean.TRUE.equals(mfa) && resetAfterMfa.contains(flow) ? Action.RESET_AFTER_MFA : flow.stop();
        } else {
            boolean stop = verdict == Verdict.BREACHED || refusedByRule
                    || verdict == Verdict.UNKNOWN && onUnknown.get(flow) == FlowConfig.OnUnknown.DENY;
            action = stop ? flow.stop() : flow.proceed();
        }
        actions.get(flow).get(action).increment();
        if (action != flow.proceed()) {
            for (Reason reason : reasons) {
                refusals.get(flow).get(reason.code()).increment();
            }
        }
        return action;
    }
}
