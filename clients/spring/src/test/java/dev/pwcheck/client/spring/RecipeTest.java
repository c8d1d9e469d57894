package dev.pwcheck.client.spring;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authentication.password.CompromisedPasswordChecker;
import org.springframework.security.authentication.password.CompromisedPasswordException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spring recipes of docs/recipes.md, run: their lines are this file's (RecipesTest in the service compares them). */
class RecipeTest {

    // recipe: spring-configuration
    @Configuration
    static class PasswordCheckConfiguration {

        // Spring Security gives this bean to the DaoAuthenticationProvider it builds (formLogin, httpBasic):
        // a sign-in with a breached password then fails with CompromisedPasswordException.
        @Bean
        CompromisedPasswordChecker compromisedPasswordChecker(Environment env) {
            PwcheckCompromisedPasswordChecker checker = new PwcheckCompromisedPasswordChecker(env.getRequiredProperty("pwcheck.url"));
            checker.setApiKey(env.getProperty("pwcheck.api-key"));    // null when the service needs no key
            checker.setReadTimeout(Duration.ofSeconds(3));             // above the service's 2 s deadline
            return checker;                                            // flow "login" unless check(password, flow) says
        }
    }
    // end recipe

    /** What a registration form does with the decision's details; returns the message shown, or null to proceed. */
    static String registrationMessage(PwcheckCompromisedPasswordChecker checker, String newPassword) {
        // recipe: spring-registration
        // The same bean as at sign-in: the flow goes with the call.
        PwcheckPasswordDecision decision = checker.check(newPassword, "registration");
        if (decision.isCompromised()) {
            return decision.getCount() > 0
                    ? String.format(Locale.ENGLISH, "This password has been seen %,d times in data breaches. Choose another.", decision.getCount())
                    : "Choose another password.";                // refused by the rule (too short, your username...)
        }
        // end recipe
        return null;
    }

    /** Signs in as a form would; returns where the user goes next. */
    static String signIn(DaoAuthenticationProvider provider, String username, String password) {
        // recipe: spring-sign-in
        try {
            provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username, password));
            return "/dashboard";
        } catch (CompromisedPasswordException e) {
            // The password was right, and it is in a data breach: no session; have the user choose a new one.
            return "/password/reset?reason=breached";
        }
        // end recipe
    }

    @Test
    void theConfigurationSignsInWithAClearPasswordAndRefusesABreachedOne() throws Exception {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of("pwcheck.url", Services.open().baseUrl())));
            context.register(PasswordCheckConfiguration.class);
            context.refresh();

            InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
                    User.withUsername("breached").password("{noop}password").roles("USER").build(),
                    User.withUsername("careful").password("{noop}" + PwcheckCompromisedPasswordCheckerTest.CLEAN).roles("USER").build());
            DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
            provider.setCompromisedPasswordChecker(context.getBean(CompromisedPasswordChecker.class));

            assertEquals("/password/reset?reason=breached", signIn(provider, "breached", "password"));
            assertEquals("/dashboard", signIn(provider, "careful", PwcheckCompromisedPasswordCheckerTest.CLEAN));
        }
    }

    @Test
    void theRegistrationFormSaysWhyAndProceedsWithAGoodPassword() throws Exception {
        PwcheckCompromisedPasswordChecker checker = new PwcheckCompromisedPasswordChecker(Services.open().baseUrl());

        assertEquals("This password has been seen 1,003 times in data breaches. Choose another.", registrationMessage(checker, "qwerty"));
        // Not in the corpus, but under registration's 8 characters.
        assertEquals("Choose another password.", registrationMessage(checker, "Zq9#vL2"));
        assertEquals(null, registrationMessage(checker, PwcheckCompromisedPasswordCheckerTest.CLEAN));
        assertTrue(checker.check("qwerty").isCompromised());
        assertEquals("require-reset", checker.check("qwerty").getAction(), "the checker's own flow stays login");
    }
}
