package dev.pwcheck.client.spring;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What both checkers send and how they read the answer: one place for the request body, the decision made from an
 * answer, and the decision made without one. Nothing here keeps, logs or puts in a message the password or its hash.
 */
final class CheckExchange {

    static final String PATH = "/v1/passwords/check";
    static final String SOURCE_HEADER = "X-Pwcheck-Source";
    /** The service refuses a password over this many UTF-8 bytes; such a one is sent as its SHA-1 instead. */
    static final int MAX_PASSWORD_BYTES = 1024;

    private static final Log LOG = LogFactory.getLog(CheckExchange.class);

    private CheckExchange() {
    }

    /**
     * The JSON body for {@code password} in {@code flow} (null: none). A password the service would refuse as input
     * (empty, or over 1,024 bytes) goes as its SHA-1, so that it is still looked up rather than turned into an error.
     */
    static Map<String, Object> body(String password, String flow) {
        Map<String, Object> body = new LinkedHashMap<>(4);
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0 || utf8.length > MAX_PASSWORD_BYTES) {
            body.put("sha1", sha1(utf8));
        } else {
            body.put("password", password);
        }
        if (flow != null) {
            body.put("flow", flow);
        }
        return body;
    }

    private static String sha1(byte[] utf8) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(utf8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * The decision for an answer. Compromised when the flow's action stops the caller (any action but {@code allow}
     * and {@code accept}); without a flow, when the verdict is {@code breached}. An answer without a known verdict is
     * unreadable: {@code null}, so the caller decides as for an unreachable service.
     */
    static PwcheckPasswordDecision decision(Map<?, ?> answer, String source) {
        if (answer == null || !(answer.get("verdict") instanceof String wire)) {
            return null;
        }
        PwcheckPasswordDecision.Verdict verdict;
        try {
            verdict = PwcheckPasswordDecision.Verdict.valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
        long count = answer.get("count") instanceof Number number ? number.longValue() : 0;
        String action = answer.get("action") instanceof String text ? text : null;
        boolean compromised = action != null ? !proceeds(action) : verdict == PwcheckPasswordDecision.Verdict.BREACHED;
        return new PwcheckPasswordDecision(compromised, verdict, count, action, source, true);
    }

    private static boolean proceeds(String action) {
        return "allow".equals(action) || "accept".equals(action);
    }

    /**
     * The decision when the service could not be asked or its answer read: not compromised unless the checker is set
     * to treat an unreachable service as compromised, with the flow's matching action.
     */
    static PwcheckPasswordDecision unanswered(String flow, boolean unreachableIsCompromised) {
        String action = flow == null ? null : unreachableIsCompromised ? stopAction(flow) : proceedAction(flow);
        return new PwcheckPasswordDecision(unreachableIsCompromised, PwcheckPasswordDecision.Verdict.UNKNOWN, 0, action, null, false);
    }

    static PwcheckPasswordDecision nullPassword() {
        return new PwcheckPasswordDecision(false, PwcheckPasswordDecision.Verdict.UNKNOWN, 0, null, null, false);
    }

    private static String proceedAction(String flow) {
        return "login".equals(flow) ? "allow" : "accept";
    }

    private static String stopAction(String flow) {
        return "login".equals(flow) ? "require-reset" : "reject";
    }

    /**
     * Logs why the service gave no answer, by kind only. A refused key is a deployment error that fails open
     * unnoticed otherwise, so it is an ERROR; an outage is a WARN. The exception's own message is not logged: a
     * client's message may quote a response body.
     */
    static void logFailure(int status, Throwable cause) {
        if (status == 401 || status == 403) {
            LOG.error("pwcheck refused this application's API key (HTTP " + status + "): set the key the service's"
                    + " pwcheck.auth.api-key-hashes knows; passwords go unchecked until then");
        } else if (status >= 400 && status < 500) {
            LOG.error("pwcheck refused the check (HTTP " + status + "); the password was not checked");
        } else if (status >= 500) {
            LOG.warn("pwcheck could not answer (HTTP " + status + "); the password was not checked");
        } else {
            LOG.warn("pwcheck could not be reached or its answer read (" + (cause == null ? "no answer" : cause.getClass().getSimpleName())
                    + "); the password was not checked");
        }
    }

    private static final java.util.Set<String> FLOWS = java.util.Set.of("login", "registration", "reset", "api-key");

    /** {@code flow} when the service knows it (or null: no flow); checked on every call, so a set, not a pattern. */
    static String validFlow(String flow) {
        if (flow != null && !FLOWS.contains(flow)) {
            throw new IllegalArgumentException("flow must be login, registration, reset, api-key or null, not " + flow);
        }
        return flow;
    }
}
