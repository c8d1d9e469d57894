package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreException;
import dev.pwcheck.upstream.AnswerBody;
import dev.pwcheck.upstream.UpstreamException;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.Closeable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of {@code mirror sync}: the Vert.x client the service's upstream client is built on, in a Vert.x of
 * its own (the command line starts no service), with a keep-alive connection per request in flight (HTTP/2 over TLS
 * where the upstream offers it), gzip asked for and inflated under the size cap ({@link AnswerBody}, as the service
 * does), and conditional requests. Answers are handed over on the event loops, where the sync parses them.
 */
final class SyncHttp implements Closeable {

    /** One answer: 200 with its (decoded) body, 304, or another status, with the ETag and Retry-After it came with. */
    record Answer(int status, byte[] body, int length, String etag, String retryAfter) {
    }

    private static final int MAX_LOOPS = 8;
    private static final CharSequence ADD_PADDING = HttpHeaders.createOptimized("Add-Padding");
    private static final CharSequence TRUE = HttpHeaders.createOptimized("true");
    private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");

    private final Vertx vertx;
    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final String userAgent;
    private final Duration timeout;
    private final int maxBytes;
    private final AtomicLong wireBytes = new AtomicLong();
    private final String basePath;

    SyncHttp(URI upstream, int concurrency, Duration timeout, int maxBytes, String userAgent) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.userAgent = userAgent;
        this.basePath = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        int loops = Math.max(1, Math.min(MAX_LOOPS, Math.min(concurrency, Runtime.getRuntime().availableProcessors())));
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(false));
        boolean https = "https".equalsIgnoreCase(upstream.getScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(upstream.getHost())
                .setDefaultPort(upstream.getPort() > 0 ? upstream.getPort() : https ? 443 : 80)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setKeepAlive(true)
                .setDecompressionSupported(false)
                .setName("pwcheck-mirror-sync");
        if (https) {
            options.setSsl(true).setVerifyHost(true).setForceSni(true).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2);
        }
        // One client per event loop, used only from that loop: its connections live there, so an answer is read and
        // parsed on the loop that sent the request, and the parse spreads over every core.
        List<Context> contexts = eventLoopContexts(vertx, loops);
        this.lanes = new Lane[loops];
        int perLane = (concurrency + loops - 1) / loops;
        for (int i = 0; i < loops; i++) {
            lanes[i] = new Lane(contexts.get(i), vertx.httpClientBuilder().with(options)
                    .with(new PoolOptions().setHttp1MaxSize(perLane).setHttp2MaxSize(Math.max(1, perLane / 100 + 1)))
                    .build());
        }
    }

    /** An event loop and the client used only from it. */
    private record Lane(Context context, HttpClient client) {
    }

    /** A context on each of {@code loops} event loops (verticle instances are spread over the loops, one each). */
    private static List<Context> eventLoopContexts(Vertx vertx, int loops) {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        try {
            vertx.deployVerticle(() -> new AbstractVerticle() {
                @Override
                public void start() {
                    contexts.add(context);
                }
            }, new DeploymentOptions().setInstances(loops)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while starting the HTTP client");
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreException("cannot start the HTTP client: " + e.getMessage(), e);
        }
        return contexts;
    }

    /** Body bytes received so far, as sent (compressed when gzipped), for the summary. */
    long wireBytes() {
        return wireBytes.get();
    }

    /** Where an answer goes: exactly one of them is null. Called on an event loop, once. */
    interface Handler {
        void answered(Answer answer, Failure failure);
    }

    /**
     * Why no answer can be used: the upstream sent one that is invalid (too large, badly encoded), or none came
     * (refused, reset, timed out).
     */
    record Failure(boolean invalidAnswer, String message) {
    }

    /**
     * GETs {@code path} (below the upstream's base), with {@code If-None-Match: etag} when {@code etag} is not null,
     * and hands the answer to {@code handler} on the event loop that read it: the sync parses there, so that no
     * thread waits on a request and nothing is handed between threads on the way.
     */
    void send(String path, String etag, Handler handler) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setURI(basePath + path)
                .setIdleTimeout(timeout.toMillis())
                .putHeader(HttpHeaders.USER_AGENT, userAgent)
                .putHeader(ADD_PADDING, TRUE)
                .putHeader(HttpHeaders.ACCEPT_ENCODING, GZIP);
        if (etag != null) {
            request.putHeader(HttpHeaders.IF_NONE_MATCH, etag);
        }
        // Past the idle timeout the client fails the request itself; this only catches a body that drips forever.
        java.util.concurrent.atomic.AtomicReference<io.vertx.core.http.HttpClientRequest> sending = new java.util.concurrent.atomic.AtomicReference<>();
        long deadline = vertx.setTimer(timeout.toMillis() * 4 + 1000, id -> {
            if (answer.completeExceptionally(new java.util.concurrent.TimeoutException("no whole answer within " + timeout.multipliedBy(4)))
                    && sending.get() != null) {
                sending.get().reset();
            }
        });
        answer.whenComplete((done, failed) -> {
            vertx.cancelTimer(deadline);
            if (failed == null) {
                handler.answered(done, null);
            } else if (failed instanceof UpstreamException invalid) {
                handler.answered(null, new Failure(true, invalid.getMessage()));
            } else {
                handler.answered(null, new Failure(false, failed instanceof java.util.concurrent.TimeoutException ? failed.getMessage()
                        : failed.getClass().getSimpleName() + (failed.getMessage() == null ? "" : ": " + failed.getMessage())));
            }
        });
        Lane lane = lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
        lane.context().runOnContext(go -> lane.client().request(request).onComplete(connected -> {
            if (connected.failed()) {
                answer.completeExceptionally(connected.cause());
                return;
            }
            sending.set(connected.result());
            connected.result().send().onComplete(sent -> {
                if (sent.failed()) {
                    answer.completeExceptionally(sent.cause());
                } else if (answer.isDone()) {
                    sent.result().request().reset();
                } else {
                    read(sent.result(), answer);
                }
            });
        }));
    }

    /** Runs {@code action} on an event loop after {@code delay}; the id cancels it. */
    long later(Duration delay, Runnable action) {
        return vertx.setTimer(Math.max(1, delay.toMillis()), id -> action.run());
    }

    /** @return whether the timer was cancelled before it ran */
    boolean cancel(long timer) {
        return vertx.cancelTimer(timer);
    }

    private void read(HttpClientResponse response, CompletableFuture<Answer> answer) {
        int status = response.statusCode();
        String etag = response.getHeader(HttpHeaders.ETAG);
        response.exceptionHandler(answer::completeExceptionally);
        if (status != 200) {
            response.handler(chunk -> wireBytes.addAndGet(chunk.length()));
            response.endHandler(end -> answer.complete(new Answer(status, null, 0, etag, response.getHeader("Retry-After"))));
            return;
        }
        AnswerBody body;
        try {
            body = AnswerBody.forAnswer(response.getHeader(HttpHeaders.CONTENT_ENCODING), response.getHeader(HttpHeaders.CONTENT_LENGTH), maxBytes);
        } catch (UpstreamException e) {
            answer.completeExceptionally(e);
            response.request().reset();
            return;
        }
        long[] received = {0};
        response.handler(chunk -> {
            if (answer.isDone()) {
                return;
            }
            received[0] += chunk.length();
            try {
                body.append(chunk);
            } catch (UpstreamException e) {
                body.abandon();
                answer.completeExceptionally(e);
                response.request().reset();
            }
        });
        response.endHandler(end -> {
            if (answer.isDone()) {
                return;
            }
            try {
                body.finish();
                wireBytes.addAndGet(received[0]);
                answer.complete(new Answer(200, body.bytes(), body.length(), etag, null));
            } catch (UpstreamException e) {
                answer.completeExceptionally(e);
            }
        });
    }

    @Override
    public void close() {
        for (Lane lane : lanes) {
            lane.client().close();
        }
        vertx.close();
    }
}
