package dev.pwcheck.range;

import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The cache's notion of time is a bean so that tests can move it forward instead of sleeping. */
@Singleton
public class TickerProducer {

    @Produces
    @Singleton
    @DefaultBean
    Ticker systemTicker() {
        return Ticker.systemTicker();
    }
}
