package dev.pwcheck.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks sent to the service {@code concurrency} at a time, as a registry's login traffic would, each verdict compared with the corpus. */
public final class ColdChecks {

    private static final Pattern ANSWER = Pattern.compile("\"verdict\":\"(\\w+)\",\"count\":(\\d+)");

    private ColdChecks() {
    }

    /** Sends one check per hash, at most {@code concurrency} in flight, and asserts every answer is the corpus's exact one. */
    public static void assertExact(URI checkUri, List<RangeFilesNginx.Known> hashes, int concurrency) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (RangeFilesNginx.Known hash : hashes) {
            slots.acquireUninterruptibly();
            HttpRequest request = HttpRequest.newBuilder(checkUri).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sha1\":\"" + hash.sha1() + "\"}")).build();
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body)
                    .whenComplete((body, failure) -> slots.release()));
        }
        for (int i = 0; i < hashes.size(); i++) {
            String body = answers.get(i).join();
            Matcher answer = ANSWER.matcher(body);
            RangeFilesNginx.Known expected = hashes.get(i);
            String want = expected.count() > 0 ? "breached" : "clean";
            assertEquals(want + " " + expected.count(), answer.find() ? answer.group(1) + " " + answer.group(2) : body,
                    "check " + i + " of range " + expected.sha1().substring(0, 5));
        }
    }

    /** Ranges {@code from} to {@code to - 1}: a corpus hash from the even ones, an absent hash from the odd ones. */
    public static List<RangeFilesNginx.Known> ranges(int from, int to) {
        List<RangeFilesNginx.Known> hashes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            hashes.add(i % 2 == 0 ? RangeFilesNginx.breached(i) : RangeFilesNginx.absent(i));
        }
        return hashes;
    }
}
