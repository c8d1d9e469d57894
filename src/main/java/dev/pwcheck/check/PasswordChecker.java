package dev.pwcheck.check;

import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.lookup.LookupOrder;
import dev.pwcheck.lookup.Sighting;
import dev.pwcheck.range.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;

/**
 * Turns a hash into a verdict: what the sources say of it ({@link LookupOrder}), by the flow's threshold. Created at
 * start-up so that its meters are published before the first check.
 */
@Startup
@ApplicationScoped
public class PasswordChecker {

    private static final String NO_FLOW = "none";

    private final LookupOrder sources;
    private final Counter fallbackAnswers;
    private final FlowPolicy policy;
    private final Map<Verdict, Counter> checksWithoutFlow;
    private final Map<Flow, Map<Verdict, Counter>> checksByFlow = new EnumMap<>(Flow.class);
    private final Map<Source, Counter> checksBySource = new EnumMap<>(Source.class);

    public PasswordChecker(LookupOrder sources, FlowPolicy policy, MeterRegistry registry) {
        this.sources = sources;
        this.fallbackAnswers = Counter.builder("pwcheck.fallback.answers")
                .description("Checks answered breached by the fallback store because no range could be had").register(registry);
        this.policy = policy;
        this.checksWithoutFlow = counters(registry, NO_FLOW);
        for (Flow flow : Flow.values()) {
            checksByFlow.put(flow, counters(registry, flow.wire()));
        }
        // Every source from the start, so a dashboard's "answers by source" has all its series before the first check.
        for (Source source : Source.values()) {
            checksBySource.put(source, Counter.builder("pwcheck.check.sources")
                    .description("Password checks answered, by where the answer came from (the X-Pwcheck-Source header)")
                    .tag("source", source.header())
                    .register(registry));
        }
    }

    private static Map<Verdict, Counter> counters(MeterRegistry registry, String flow) {
        Map<Verdict, Counter> byVerdict = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            byVerdict.put(verdict, Counter.builder("pwcheck.checks")
                    .description("Password checks answered, by flow and verdict")
                    .tag("verdict", verdict.json())
                    .tag("flow", flow)
                    .register(registry));
        }
        return byVerdict;
    }

    /** Never fails: when no range can be had the verdict is {@link Verdict#UNKNOWN}. */
    public Uni<CheckResult> check(Sha1Hash hash) {
        return check(hash, null);
    }

    /** As {@link #check(Sha1Hash)}, by the threshold of {@code flow} (null: {@code pwcheck.min-count}). */
    public Uni<CheckResult> check(Sha1Hash hash, Flow flow) {
        int minCount = policy.minCount(flow);
        Map<Verdict, Counter> counters = flow == null ? checksWithoutFlow : checksByFlow.get(flow);
        return sources.sighting(hash).map(sighting -> counted(verdict(sighting, minCount), counters));
    }

    /**
     * The verdict by {@code minCount}. The fallback store's word is only ever "breached": a hash it holds below the
     * threshold, like one no source could tell of, stays unknown, never clean.
     */
    private CheckResult verdict(Sighting sighting, int minCount) {
        return switch (sighting.source()) {
            case NONE -> CheckResult.UNKNOWN;
            case FALLBACK -> {
                if (sighting.count() < minCount) {
                    yield CheckResult.UNKNOWN;
                }
                fallbackAnswers.increment();
                yield new CheckResult(Verdict.BREACHED, sighting.count(), Source.FALLBACK);
            }
            default -> sighting.count() >= minCount
                    ? new CheckResult(Verdict.BREACHED, sighting.count(), sighting.source())
                    : new CheckResult(Verdict.CLEAN, 0, sighting.source());
        };
    }

    private CheckResult counted(CheckResult result, Map<Verdict, Counter> counters) {
        counters.get(result.verdict()).increment();
        checksBySource.get(result.source()).increment();
        return result;
    }
}
