package dev.pwcheck.check;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The check's configuration with every default, for tests that build its classes without the service. */
final class DefaultConfigs {

    private DefaultConfigs() {
    }

    /**
     * A proxy rather than a class: Quarkus's test build rejects a class of the test sources that implements the
     * mapping's validated methods ({@code @Min}) outside CDI.
     */
    static CheckConfig check(List<String> contextWords) {
        return (CheckConfig) java.lang.reflect.Proxy.newProxyInstance(CheckConfig.class.getClassLoader(), new Class<?>[] { CheckConfig.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "minCount" -> 1;
                    case "contextWords" -> Optional.of(contextWords);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Every flow unset: the defaults each class applies (8 and 15 characters at registration and reset, ...). */
    static FlowConfig flows() {
        return new FlowConfig() {
            public LoginPolicy login() {
                return new Login();
            }

            public Policy registration() {
                return new Unset();
            }

            public Policy reset() {
                return new Unset();
            }

            public ApiKeyPolicy apiKey() {
                return new ApiKey();
            }
        };
    }

    static class Unset implements FlowConfig.Policy {
        public OptionalInt minCount() {
            return OptionalInt.empty();
        }

        public FlowConfig.OnUnknown onUnknown() {
            return FlowConfig.OnUnknown.ALLOW;
        }

        public OptionalInt minLength() {
            return OptionalInt.empty();
        }

        public OptionalInt minLengthSingleFactor() {
            return OptionalInt.empty();
        }

        public int maxBytes() {
            return 0;
        }

        public Optional<Boolean> refuseContextWords() {
            return Optional.empty();
        }
    }

    static final class Login extends Unset implements FlowConfig.LoginPolicy {
        public FlowConfig.OnBreachedWithMfa onBreachedWithMfa() {
            return FlowConfig.OnBreachedWithMfa.RESET_AFTER_MFA;
        }
    }

    static final class ApiKey extends Unset implements FlowConfig.ApiKeyPolicy {
        public FlowConfig.ApiKeyOnBreachedWithMfa onBreachedWithMfa() {
            return FlowConfig.ApiKeyOnBreachedWithMfa.RESET_AFTER_MFA;
        }
    }
}
