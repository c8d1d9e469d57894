package dev.pwcheck.mirror.service;

import java.util.Map;

/**
 * The breach threshold of every flow and of checks without one, by the key that sets it
 * ({@code pwcheck.min-count=1}, {@code pwcheck.flows.login.min-count=100}, ...). The check owns these settings and
 * hands them over as plain values: a filter store built with a {@code --min-count} above one of them calls clean what
 * that flow must act on, and in {@code pwcheck.source=mirror} one built below one of them cannot tell that flow's
 * breached from clean; either is refused.
 */
public record BreachThresholds(Map<String, Integer> byKey) {

    public BreachThresholds {
        // In the order given: a refusal names the first threshold a filter falls short of, the same one every run.
        byKey = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byKey));
    }
}
