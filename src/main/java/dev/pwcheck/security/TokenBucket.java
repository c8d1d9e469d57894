package dev.pwcheck.security;

/** {@code burst} tokens, refilled at {@code rate} a second; one request takes one. */
final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long updated;

    TokenBucket(int rate, int burst, long now) {
        this.ratePerNano = rate / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.updated = now;
    }

    /** @return 0 when a token was taken, else the nanoseconds until one will be there */
    synchronized long take(long now) {
        tokens = Math.min(burst, tokens + (now - updated) * ratePerNano);
        updated = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerNano);
    }
}
