package dev.pwcheck.security;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks resources that need a caller key (when keys are configured). Bound to the matched resource, not to a path
 * prefix, so no spelling of the URL ({@code //v1/...}, {@code /./v1/...}, percent-encoding) can route around it.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface CallerKeyRequired {
}
