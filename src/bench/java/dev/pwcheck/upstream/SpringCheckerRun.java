package dev.pwcheck.upstream;

import org.springframework.security.web.authentication.password.HaveIBeenPwnedRestApiPasswordChecker;
import org.springframework.web.client.RestClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference for the miss-path benchmark (bench/miss-path.sh): Spring Security's HIBP checker, in-process, as a
 * Java registry would use it instead of this service, asking the same nginx for a random password's range from
 * {@code threads} threads for {@code seconds}. Prints checks/s, p50 and p99 in milliseconds, and failures.
 *
 * <p>Arguments: base URL of the range API (ending in {@code /range/}), seconds, threads.
 */
public final class SpringCheckerRun {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        long seconds = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        HaveIBeenPwnedRestApiPasswordChecker checker = new HaveIBeenPwnedRestApiPasswordChecker();
        checker.setRestClient(RestClient.builder().baseUrl(base).build());
        run(checker, 5, threads); // JIT warm-up, not reported
        Result result = run(checker, seconds, threads);
        long[] sorted = result.latencies();
        Arrays.sort(sorted);
        System.out.printf("spring-checker checks/s %.0f p50 %.2f ms p99 %.2f ms failures %d%n",
                sorted.length / (double) seconds, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, result.failures());
    }

    private record Result(long[] latencies, long failures) {
    }

    private static Result run(HaveIBeenPwnedRestApiPasswordChecker checker, long seconds, int threads) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perThread = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[][] slot = {new long[1 << 16]};
            int[] n = {0};
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < until) {
                    String password = "bench-" + ThreadLocalRandom.current().nextLong();
                    long start = System.nanoTime();
                    try {
                        checker.check(password);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        continue;
                    }
                    if (n[0] == slot[0].length) {
                        slot[0] = Arrays.copyOf(slot[0], n[0] * 2);
                    }
                    slot[0][n[0]++] = System.nanoTime() - start;
                }
                synchronized (perThread) {
                    perThread.add(Arrays.copyOf(slot[0], n[0]));
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
        return new Result(all, failures.get());
    }
}
