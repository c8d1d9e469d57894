package dev.pwcheck.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects every formatted log line (message, parameters and exception chain) of the service's JVM while open,
 * except the test harness's own: the test's HTTP client and the fake upstream log what they send and serve,
 * which is the test's data, not the service's output.
 */
public final class CapturedLogs extends Handler implements AutoCloseable {

    private static final List<String> HARNESS_LOGGERS = List.of("org.apache.http", "wiremock", "com.github.tomakehurst", "org.eclipse.jetty");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    public static CapturedLogs start() {
        CapturedLogs logs = new CapturedLogs();
        logs.setLevel(Level.ALL);
        logs.root.addHandler(logs);
        return logs;
    }

    @Override
    public void publish(LogRecord record) {
        String logger = String.valueOf(record.getLoggerName());
        if (HARNESS_LOGGERS.stream().anyMatch(logger::startsWith)) {
            return;
        }
        StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getMessage());
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                line.append(' ').append(parameter);
            }
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(' ').append(t);
            for (StackTraceElement element : t.getStackTrace()) {
                line.append(' ').append(element);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        lines.add(line.toString());
        if (record.getLevel().intValue() >= Level.SEVERE.intValue() || record.getThrown() != null) {
            errors.add(line.toString());
        }
    }

    /** The lines logged at ERROR (or above), and any line carrying an exception: what an on-call alert fires on. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
