package dev.pwcheck.check;

import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.mirror.service.Fallback;
import dev.pwcheck.mirror.service.Mirror;
import dev.pwcheck.range.RangeCache;
import dev.pwcheck.range.RangeLookup;
import dev.pwcheck.range.Source;
import dev.pwcheck.upstream.UpstreamException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns a hash into a verdict: find its range, look the suffix up, apply the threshold. Created at start-up so
 * that its meters are published before the first check.
 */
@Startup
@ApplicationScoped
public class PasswordChecker {

    private static final Logger LOG = Logger.getLogger(PasswordChecker.class);
    private static final Duration ANSWER_MARGIN = Duration.ofMillis(50);
    private static final String NO_FLOW = "none";

    private final RangeCache ranges;
    private final Mirror mirror;
    private final Fallback fallback;
    private final Counter fallbackAnswers;
    private final FlowPolicy policy;
    private final Duration deadline;
    private final Map<Verdict, Counter> checksWithoutFlow;
    private final Map<Flow, Map<Verdict, Counter>> checksByFlow = new EnumMap<>(Flow.class);
    private final Map<Source, Counter> checksBySource = new EnumMap<>(Source.class);

    public PasswordChecker(RangeCache ranges, Mirror mirror, Fallback fallback, FlowPolicy policy, CheckConfig config, MeterRegistry registry) {
        this.ranges = ranges;
        this.mirror = mirror;
        this.fallback = fallback;
        this.fallbackAnswers = Counter.builder("pwcheck.fallback.answers")
                .description("Checks answered breached by the fallback store because no range could be had").register(registry);
        this.policy = policy;
        // Stop waiting a little early so that the answer, not just the decision, is out by the deadline
        // (unless the deadline is so short that the margin would eat most of it).
        Duration configured = config.deadline();
        this.deadline = configured.compareTo(ANSWER_MARGIN.multipliedBy(2)) > 0 ? configured.minus(ANSWER_MARGIN) : configured;
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
        int mirrored = mirror.count(hash);
        if (mirrored >= 0) {
            return Uni.createFrom().item(counted(verdict(mirrored, Source.MIRROR, minCount), counters));
        }
        if (mirror.mirrorOnly()) {
            return Uni.createFrom().item(counted(unknown(hash, minCount), counters));
        }
        RangeLookup cached = ranges.cachedLookup(hash.prefix());
        if (cached != null) {
            return Uni.createFrom().item(counted(verdict(hash, cached, minCount), counters));
        }
        return ranges.lookup(hash.prefix())
                .map(lookup -> verdict(hash, lookup, minCount))
                // The fetch goes on without us (and fills the cache for the next check); this caller stops waiting.
                .ifNoItem().after(deadline).recoverWithItem(() -> {
                    RangeLookup stale = ranges.staleLookup(hash.prefix());
                    return stale == null ? unknown(hash, minCount) : verdict(hash, stale, minCount);
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!(failure instanceof UpstreamException)) {
                        // Class name only: a message from code we do not own could carry anything.
                        LOG.errorf("Check failed unexpectedly (%s); answering unknown", failure.getClass().getName());
                    }
                    return unknown(hash, minCount);
                })
                .map(result -> counted(result, counters));
    }

    /**
     * No range could be had: the fallback store may still know the hash as breached. Anything else stays unknown,
     * never clean: the fallback holds only the most-seen hashes.
     */
    private CheckResult unknown(Sha1Hash hash, int minCount) {
        int count = fallback.count(hash);
        if (count > 0 && count >= minCount) {
            fallbackAnswers.increment();
            return new CheckResult(Verdict.BREACHED, count, Source.FALLBACK);
        }
        return CheckResult.UNKNOWN;
    }

    private static CheckResult verdict(Sha1Hash hash, RangeLookup lookup, int minCount) {
        return verdict(lookup.range().count(hash.packedSuffix()), lookup.source(), minCount);
    }

    private static CheckResult verdict(int count, Source source, int minCount) {
        return count >= minCount
                ? new CheckResult(Verdict.BREACHED, count, source)
                : new CheckResult(Verdict.CLEAN, 0, source);
    }

    private CheckResult counted(CheckResult result, Map<Verdict, Counter> counters) {
        counters.get(result.verdict()).increment();
        checksBySource.get(result.source()).increment();
        return result;
    }
}
