package dev.pwcheck.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pwcheck.problem.ProblemException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A check request body, any bytes: it is read into a hash to look up, or refused as a 400 problem whose detail is
 * short, printable, and never quotes the password; no other failure. (The 8 KiB limit is held before the body gets
 * here.)
 */
class CheckRequestFuzzTest {

    static final PasswordRules RULES = new PasswordRules(DefaultConfigs.flows(), DefaultConfigs.check(List.of("rubygems", "gem")));
    static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "60s")
    void checkBody(byte[] body) {
        String password = passwordIn(body);
        try {
            CheckRequest.Parsed parsed = CheckRequest.parse(body.clone(), RULES);
            assertNotNull(parsed.hash());
        } catch (ProblemException refused) {
            assertEquals(400, refused.problem().status());
            String detail = refused.problem().detail();
            assertTrue(detail.length() < 200 && detail.chars().allMatch(c -> c >= 0x20 && c < 0x7f), detail);
            if (password != null) {
                assertFalse(detail.contains(password), "a refusal quotes the password");
            }
        }
    }

    /**
     * The request's password when it is one worth looking for in a refusal: one with a sign no refusal is written with
     * (so that "password" itself, a word of the vocabulary, is not taken for a leak), and not also a key of the body.
     */
    private static String passwordIn(byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode password = json == null ? null : json.get("password");
            if (password == null || !password.isTextual() || password.textValue().chars().noneMatch(c -> "!#$%&*+;<=>?@[]^_`{|}~".indexOf(c) >= 0)
                    || json.has(password.textValue())) {
                return null;
            }
            return password.textValue();
        } catch (Exception notJson) {
            return null;
        }
    }
}
