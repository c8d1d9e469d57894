package dev.pwcheck.check;

import dev.pwcheck.hash.Sha1Hash;
import dev.pwcheck.range.RangeCache;
import dev.pwcheck.range.RangeLookup;
import dev.pwcheck.range.UpstreamException;
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

    private final RangeCache ranges;
    private final int minCount;
    private final Duration deadline;
    private final Map<Verdict, Counter> checks = new EnumMap<>(Verdict.class);

    public PasswordChecker(RangeCache ranges, CheckConfig config, MeterRegistry registry) {
        this.ranges = ranges;
        this.minCount = config.minCount();
        // Stop waiting a little early so that the answer, not just the decision, is out by the deadline
        // (unless the deadline is so short that the margin would eat most of it).
        Duration configured = config.deadline();
        this.deadline = configured.compareTo(ANSWER_MARGIN.multipliedBy(2)) > 0 ? configured.minus(ANSWER_MARGIN) : configured;
        for (Verdict verdict : Verdict.values()) {
            checks.put(verdict, Counter.builder("pwcheck.checks")
                    .description("Password checks answered, by verdict")
                    .tag("verdict", verdict.json())
                    .register(registry));
        }
    }

    /** Never fails: when no range can be had the verdict is {@link Verdict#UNKNOWN}. */
    public Uni<CheckResult> check(Sha1Hash hash) {
        RangeLookup cached = ranges.cachedLookup(hash.prefix());
        if (cached != null) {
            return Uni.createFrom().item(counted(verdict(hash, cached)));
        }
        return ranges.lookup(hash.prefix())
                .map(lookup -> verdict(hash, lookup))
                // The fetch goes on without us (and fills the cache for the next check); this caller stops waiting.
                .ifNoItem().after(deadline).recoverWithItem(() -> {
                    RangeLookup stale = ranges.staleLookup(hash.prefix());
                    return stale == null ? CheckResult.UNKNOWN : verdict(hash, stale);
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!(failure instanceof UpstreamException)) {
                        // Class name only: a message from code we do not own could carry anything.
                        LOG.errorf("Check failed unexpectedly (%s); answering unknown", failure.getClass().getName());
                    }
                    return CheckResult.UNKNOWN;
                })
                .map(this::counted);
    }

    private CheckResult verdict(Sha1Hash hash, RangeLookup lookup) {
        int count = lookup.range().count(hash.packedSuffix());
        return count >= minCount
                ? new CheckResult(Verdict.BREACHED, count, lookup.source())
                : new CheckResult(Verdict.CLEAN, 0, lookup.source());
    }

    private CheckResult counted(CheckResult result) {
        checks.get(result.verdict()).increment();
        return result;
    }
}
