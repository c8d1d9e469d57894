package dev.pwcheck.check;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;

/** Turns a verdict into the action a flow's caller follows, by that flow's threshold and its answer to unknown. */
@ApplicationScoped
public class FlowPolicy {

    private final Map<Flow, Integer> minCounts = new EnumMap<>(Flow.class);
    private final Map<Flow, FlowConfig.OnUnknown> onUnknown = new EnumMap<>(Flow.class);
    private final Map<Flow, Map<Action, Counter>> actions = new EnumMap<>(Flow.class);
    private final int defaultMinCount;

    public FlowPolicy(FlowConfig flows, CheckConfig check, MeterRegistry registry) {
        this.defaultMinCount = check.minCount();
        configure(Flow.LOGIN, flows.login());
        configure(Flow.REGISTRATION, flows.registration());
        configure(Flow.RESET, flows.reset());
        for (Flow flow : Flow.values()) {
            Map<Action, Counter> counters = new EnumMap<>(Action.class);
            for (Action action : new Action[] { flow.proceed(), flow.stop() }) {
                counters.put(action, Counter.builder("pwcheck.actions")
                        .description("Actions answered to flow callers")
                        .tag("flow", flow.wire())
                        .tag("action", action.wire())
                        .register(registry));
            }
            actions.put(flow, counters);
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

    /** The breach threshold for {@code flow}; {@code pwcheck.min-count} when there is no flow. */
    int minCount(Flow flow) {
        return flow == null ? defaultMinCount : minCounts.get(flow);
    }

    /** The action for {@code verdict} in {@code flow} (counted), or null for a check without a flow. */
    Action decide(Flow flow, Verdict verdict) {
        if (flow == null) {
            return null;
        }
        boolean stop = switch (verdict) {
            case BREACHED -> true;
            case CLEAN -> false;
            case UNKNOWN -> onUnknown.get(flow) == FlowConfig.OnUnknown.DENY;
        };
        Action action = stop ? flow.stop() : flow.proceed();
        actions.get(flow).get(action).increment();
        return action;
    }
}
