package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreException;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.io.Closeable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of {@code mirror sync}: HTTP/1.1 over keep-alive connections (TLS when the upstream is https), in a
 * Vert.x of its own (the command line starts no service), gzip asked for and inflated under the size cap
 * ({@link dev.pwcheck.upstream.AnswerBody}, as the service does), and conditional requests.
 *
 * <p>Why not the Vert.x HTTP client the service uses: a sync is a million GETs of one shape, and on a 2-core machine
 * that client's per-request work (its codec, header maps, streams and futures, and the JIT compiling all of it) took
 * more CPU than parsing and storing the ranges; the sync stayed well below what the upstream could serve. This client
 * writes each request as prepared bytes and reads only the status, the framing headers, ETag, Content-Encoding and
 * Retry-After ({@link ResponseReader}). It speaks no HTTP/2: with one request per connection at a time, the
 * connections a sync keeps ({@code --concurrency}) are what HTTP/2's streams would be.
 *
 * <p>Each event loop has its own lane: a pool of connections used only from that loop, so an answer is read and
 * parsed on the loop that sent its request, and the next request goes out from there, on the connection that just
 * came free. A reused connection that the server closed before answering (its keep-alive limit or idle timeout
 * racing the request) gets the request again at once on a fresh connection, once: a GET is safe to repeat.
 */
final class SyncHttp implements Closeable {

    /**
     * One answer: its status, its (decoded) body for a 200, the ETag and Retry-After it came with, and the body's
     * bytes as sent.
     */
    record Answer(int status, byte[] body, int length, String etag, String retryAfter, long wireBytes) {
    }

    /** Where an answer goes: exactly one of them is null. Called on an event loop, once. */
    interface Handler {
        void answered(Answer answer, Failure failure);
    }

    /**
     * Why no answer can be used: the upstream sent one that is invalid (too large, badly encoded, malformed), or none
     * came (refused, reset, timed out).
     */
    record Failure(boolean invalidAnswer, String message) {
    }

    private static final int MAX_LOOPS = 8;

    private final Vertx vertx;
    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final long idleNanos;
    private final long deadlineNanos;
    private final Duration timeout;
    private final AtomicLong wireBytes = new AtomicLong();
    private final String basePath;
    /** Everything of a request after its path: the version, Host, and the headers every request carries. */
    private final String requestTail;

    SyncHttp(URI upstream, int concurrency, Duration timeout, int maxBytes, String userAgent) {
        this.timeout = timeout;
        this.idleNanos = timeout.toNanos();
        // Past the timeout with no byte the request fails; this catches a body that drips forever.
        this.deadlineNanos = timeout.toNanos() * 4 + TimeUnit.SECONDS.toNanos(1);
        this.basePath = upstream.getRawPath() == null ? "" : upstream.getRawPath().replaceAll("/+$", "");
        boolean https = "https".equalsIgnoreCase(upstream.getScheme());
        int port = upstream.getPort() > 0 ? upstream.getPort() : https ? 443 : 80;
        String host = upstream.getHost();
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (upstream.getPort() > 0 ? ":" + port : "");
        this.requestTail = " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: " + userAgent
                + "\r\nAdd-Padding: true\r\nAccept-Encoding: gzip\r\n";
        int loops = Math.max(1, Math.min(MAX_LOOPS, Math.min(concurrency, Runtime.getRuntime().availableProcessors())));
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(false));
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        if (https) {
            options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
        }
        List<Context> contexts = eventLoopContexts(vertx, loops);
        this.lanes = new Lane[loops];
        int perLane = (concurrency + loops - 1) / loops;
        long sweepMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 10));
        for (int i = 0; i < loops; i++) {
            Lane lane = new Lane(contexts.get(i), vertx.createNetClient(options), host, port, https, perLane, maxBytes);
            lanes[i] = lane;
            lane.context.runOnContext(go -> {
                lane.thread = Thread.currentThread();
                vertx.setPeriodic(sweepMillis, id -> lane.sweep(System.nanoTime()));
            });
        }
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

    /**
     * GETs {@code path} (below the upstream's base), with {@code If-None-Match: etag} when {@code etag} is not null,
     * and hands the answer to {@code handler} on the event loop that read it. Called on one of this client's event
     * loops (as the sync does from an answer's handler) the request goes out on that loop's lane; from any other
     * thread, on the lanes in turn.
     */
    void send(String path, String etag, Handler handler) {
        StringBuilder request = new StringBuilder(requestTail.length() + path.length() + 80)
                .append("GET ").append(basePath).append(path).append(requestTail);
        if (etag != null) {
            request.append("If-None-Match: ").append(etag).append("\r\n");
        }
        request.append("\r\n");
        Exchange exchange = new Exchange(Buffer.buffer(request.toString().getBytes(StandardCharsets.ISO_8859_1)), handler);
        Lane lane = currentLane();
        if (lane != null) {
            lane.dispatch(exchange, false);
        } else {
            Lane next = lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
            next.context.runOnContext(go -> next.dispatch(exchange, false));
        }
    }

    private Lane currentLane() {
        Thread current = Thread.currentThread();
        for (Lane lane : lanes) {
            if (lane.thread == current) {
                return lane;
            }
        }
        return null;
    }

    /** Runs {@code action} on an event loop after {@code delay}; the id cancels it. */
    long later(Duration delay, Runnable action) {
        return vertx.setTimer(Math.max(1, delay.toMillis()), id -> action.run());
    }

    /** @return whether the timer was cancelled before it ran */
    boolean cancel(long timer) {
        return vertx.cancelTimer(timer);
    }

    /** One request and where its answer goes: answered or failed exactly once. */
    final class Exchange {
        private final Buffer request;
        private final Handler handler;
        private long startedAt;
        private boolean retried;
        private boolean over;

        Exchange(Buffer request, Handler handler) {
            this.request = request;
            this.handler = handler;
        }

        Buffer request() {
            return request;
        }

        void startedAt(long nanos) {
            startedAt = nanos;
        }

        void answered(Answer answer) {
            if (!over) {
                over = true;
                wireBytes.addAndGet(answer.wireBytes());
                handler.answered(answer, null);
            }
        }

        void fail(boolean invalidAnswer, String message) {
            if (!over) {
                over = true;
                handler.answered(null, new Failure(invalidAnswer, message));
            }
        }
    }

    /** An event loop's pool: idle connections, how many are open or opening, and requests waiting for one. */
    private final class Lane implements SyncConnection.Owner {
        final Context context;
        final NetClient client;
        final String host;
        final int port;
        final boolean tls;
        final int maxConnections;
        final int maxBytes;
        final ArrayDeque<SyncConnection> idle = new ArrayDeque<>();
        final List<SyncConnection> open = new ArrayList<>();
        final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
        int connecting;
        volatile Thread thread;

        Lane(Context context, NetClient client, String host, int port, boolean tls, int maxConnections, int maxBytes) {
            this.context = context;
            this.client = client;
            this.host = host;
            this.port = port;
            this.tls = tls;
            this.maxConnections = maxConnections;
            this.maxBytes = maxBytes;
        }

        /** Starts {@code exchange} on an idle connection, on a new one while under the limit, or queues it. */
        void dispatch(Exchange exchange, boolean fresh) {
            if (!fresh && !idle.isEmpty()) {
                idle.pollLast().start(exchange);
            } else if (fresh || open.size() + connecting < maxConnections) {
                connect(exchange);
            } else {
                waiting.addLast(exchange);
            }
        }

        private void connect(Exchange exchange) {
            connecting++;
            (tls ? client.connect(port, host, host) : client.connect(port, host)).onComplete(connected -> {
                connecting--;
                if (connected.failed()) {
                    exchange.fail(false, SyncConnection.describe(connected.cause()));
                    startWaiting();
                    return;
                }
                SyncConnection connection = new SyncConnection(connected.result(), this, maxBytes);
                open.add(connection);
                connection.start(exchange);
            });
        }

        @Override
        public void reusable(SyncConnection connection) {
            Exchange next = waiting.pollFirst();
            if (next != null) {
                connection.start(next);
            } else {
                idle.addLast(connection);
            }
        }

        @Override
        public void lost(SyncConnection connection, Exchange exchange, boolean retryable, String why) {
            open.remove(connection);
            idle.remove(connection);
            if (exchange != null) {
                if (retryable && !exchange.retried) {
                    exchange.retried = true;
                    dispatch(exchange, true);
                } else {
                    exchange.fail(false, why);
                }
            }
            startWaiting();
        }

        private void startWaiting() {
            while (!waiting.isEmpty() && open.size() + connecting < maxConnections) {
                connect(waiting.pollFirst());
            }
        }

        /** Fails requests that have waited too long for a byte, or for their whole answer. */
        void sweep(long now) {
            for (SyncConnection connection : open.toArray(new SyncConnection[0])) {
                Exchange exchange = connection.exchange();
                if (exchange == null) {
                    continue;
                }
                if (now - connection.lastRead() > idleNanos) {
                    connection.abandon("no answer within " + timeout);
                } else if (now - exchange.startedAt > deadlineNanos) {
                    connection.abandon("no whole answer within " + timeout.multipliedBy(4));
                }
            }
        }

        void close() {
            for (SyncConnection connection : open.toArray(new SyncConnection[0])) {
                connection.close();
            }
            client.close();
        }
    }

    @Override
    public void close() {
        for (Lane lane : lanes) {
            lane.context.runOnContext(go -> lane.close());
        }
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(failed -> null).join();
    }
}
