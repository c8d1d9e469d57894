package dev.pwcheck.widget;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The demo registration page. */
@ConfigMapping(prefix = "pwcheck.demo")
public interface DemoConfig {

    /** Serve {@code /demo/register.html}; on in dev mode, off otherwise (a production service has no demo pages). */
    @WithDefault("false")
    boolean enabled();
}
