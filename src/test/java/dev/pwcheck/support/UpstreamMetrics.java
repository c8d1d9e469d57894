package dev.pwcheck.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The upstream client's counters as the scrape shows them, summed over their tags. */
public final class UpstreamMetrics {

    private UpstreamMetrics() {
    }

    /** The sum of every series of {@code name} whose tags contain {@code tagFilter} ("" for all). */
    public static double sum(String name, String tagFilter) {
        double total = 0;
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$");
        for (String l : Metrics.scrape().lines().toList()) {
            Matcher m = line.matcher(l);
            if (m.matches() && (m.group(1) == null ? "" : m.group(1)).contains(tagFilter)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** Attempts that failed for a cause of the upstream's (not the breaker's or bulkhead's refusals). */
    public static double upstreamFailures() {
        return sum("pwcheck_upstream_failures_total", "");
    }
}
