package dev.pwcheck.upstream;

import dev.pwcheck.format.HashMode;
import dev.pwcheck.format.RangeValidator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP exchange with the range API, on pooled keep-alive connections (HTTP/2 where the upstream offers it through
 * ALPN, many ranges sharing one connection). What makes it more than a request:
 * <ul>
 * <li>A request on a <em>reused</em> connection that the peer closed before any byte of the answer is sent again at
 * once on a fresh one, as Go's transport and OkHttp do for idempotent requests: the peer's idle close raced our send,
 * which says nothing about the upstream's health, so it is counted apart and never reaches the guard.</li>
 * <li>No first byte within the first-byte timeout: the connection is closed (it may be silent for every stream on
 * it) and the attempt fails as {@link FailureCause#FIRST_BYTE_TIMEOUT}, which the guard retries on another.</li>
 * <li>gzip is asked for and inflated here, the size cap on the decoded bytes.</li>
 * <li>Conditional requests: a validator is sent as {@code If-None-Match}/{@code If-Modified-Since}, and a
 * {@code 304} comes back without a body.</li>
 * </ul>
 * Giving up an exchange (the attempt's timeout, the size cap) resets the request, which closes an HTTP/1.1 connection
 * instead of returning it to the pool with an answer half read, and cancels only that stream on HTTP/2.
 */
@ApplicationScoped
public class UpstreamHttp {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(UpstreamHttp.class);

    /** One answer: a body (status 200) or a 304, with the validator the upstream sent. */
    record Answer(byte[] bytes, int length, RangeValidator validator, boolean notModified) {
    }

    private final Vertx vertx;
    private final UpstreamConfig config;
    private final UpstreamEndpoint endpoint;
    private final HttpClient client;
    /** Connections that have carried a whole answer: only on these is a close before the answer a stale-pool race. */
    private final Set<HttpConnection> proven = ConcurrentHashMap.newKeySet();
    private final Counter reconnects;
    private final Counter opened;
    private final MeterRegistry registry;
    private final Map<String, Counter> answers = new ConcurrentHashMap<>();

    UpstreamHttp(Vertx vertx, UpstreamConfig config, UpstreamEndpoint endpoint, MeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.endpoint = endpoint;
        this.registry = registry;
        this.reconnects = Counter.builder("pwcheck.upstream.reconnects")
                .description("Requests sent again at once on a fresh connection because the reused one they went out on had been closed by the peer")
                .register(registry);
        this.opened = Counter.builder("pwcheck.upstream.connections").description("Upstream connections opened").register(registry);
        for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_1_1, HttpVersion.HTTP_2}) {
            for (String as : new String[] {"identity", "gzip", "not_modified"}) {
                answer(as, version);
            }
        }
        this.client = vertx.httpClientBuilder()
                .with(options())
                .with(new PoolOptions().setHttp1MaxSize(config.pool().maxConnections()).setHttp2MaxSize(1)
                        .setMaxWaitQueueSize(-1))
                .withConnectHandler(this::connected)
                .build();
    }

    private HttpClientOptions options() {
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(endpoint.host())
                .setDefaultPort(endpoint.port())
                .setConnectTimeout((int) endpoint.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, config.pool().idleTimeout().toSeconds()))
                .setHttp2KeepAliveTimeout((int) Math.max(1, config.pool().idleTimeout().toSeconds()))
                .setPipelining(false)
                .setDecompressionSupported(false) // inflated here, so that the cap is on the decoded bytes
                .setName("pwcheck-upstream");
        if (endpoint.https()) {
            options.setSsl(true).setVerifyHost(true).setForceSni(true);
            endpoint.trust().ifPresent(options::setTrustOptions);
            if (config.http2()) {
                // HTTP/2 only where ALPN agrees on it; an upstream that offers only HTTP/1.1 gets HTTP/1.1.
                options.setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2);
            }
        }
        return options;
    }

    private void connected(HttpConnection connection) {
        opened.increment();
        connection.closeHandler(closed -> proven.remove(connection));
        // A connection's own failure (reset idle in the pool by an upstream that went away) went to Vert.x's default
        // handler, an ERROR line each; a request on it fails on its own, and the pool drops the connection either way.
        connection.exceptionHandler(failure -> LOG.debugf("An upstream connection failed: %s", failure.getClass().getSimpleName()));
    }

    private Counter answer(String as, HttpVersion version) {
        String protocol = version == HttpVersion.HTTP_2 ? "h2" : "http/1.1";
        return answers.computeIfAbsent(as + " " + protocol, k -> Counter.builder("pwcheck.upstream.answers")
                .description("Usable upstream answers, by how they came (identity or gzip bodies, or 304 not modified) and protocol")
                .tag("as", as).tag("protocol", protocol).register(registry));
    }

    /** GETs the range; fails with an {@link UpstreamException} naming the cause. */
    Uni<Answer> range(HashMode mode, String prefix, RangeValidator validator) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setURI(endpoint.path() + "/range/" + prefix + (mode == HashMode.SHA1 ? "" : "?mode=" + mode.wire()))
                .setIdleTimeout(endpoint.readTimeout().toMillis())
                .putHeader(HttpHeaders.USER_AGENT, config.userAgent())
                .putHeader("Add-Padding", "true");
        if (config.compression()) {
            request.putHeader(HttpHeaders.ACCEPT_ENCODING, "gzip");
        }
        if (validator.etag() != null) {
            request.putHeader(HttpHeaders.IF_NONE_MATCH, validator.etag());
        }
        if (validator.lastModified() != null) {
            request.putHeader(HttpHeaders.IF_MODIFIED_SINCE, validator.lastModified());
        }
        return Uni.createFrom().emitter(emitter -> new Exchange(request, validator, emitter).send(0));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** One attempt's life: the first send, any resends after a stale-pool race, and the answer. */
    private final class Exchange {
        private final RequestOptions options;
        private final RangeValidator sent;
        private final UniEmitter<? super Answer> emitter;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile HttpClientRequest current;
        private volatile AnswerBody body;

        Exchange(RequestOptions options, RangeValidator sent, UniEmitter<? super Answer> emitter) {
            this.options = options;
            this.sent = sent;
            this.emitter = emitter;
            emitter.onTermination(() -> {
                // Cancelled by the attempt's timeout (or the check giving up): free the connection at once.
                if (done.compareAndSet(false, true)) {
                    abandon();
                }
            });
        }

        void send(int resends) {
            client.request(options).onComplete(connected -> {
                if (connected.failed()) {
                    fail(UpstreamException.classify(connected.cause()));
                    return;
                }
                HttpClientRequest request = connected.result();
                current = request;
                if (done.get()) {
                    request.reset();
                    return;
                }
                HttpConnection connection = request.connection();
                boolean reused = proven.contains(connection);
                AtomicBoolean headersArrived = new AtomicBoolean();
                long firstByte = vertx.setTimer(config.firstByteTimeout().toMillis(), id -> {
                    if (!headersArrived.get()) {
                        // A connection that accepted the request and said nothing may be silent for every stream on it.
                        connection.close();
                        fail(new UpstreamException(FailureCause.FIRST_BYTE_TIMEOUT,
                                "upstream sent no answer within " + config.firstByteTimeout()));
                    }
                });
                request.send().onComplete(answered -> {
                    headersArrived.set(true);
                    vertx.cancelTimer(firstByte);
                    if (answered.failed()) {
                        if (reused && resends < config.reconnectRetries() && closedBeforeAnswer(answered.cause()) && !done.get()) {
                            proven.remove(connection);
                            reconnects.increment();
                            send(resends + 1);
                        } else {
                            fail(UpstreamException.classify(answered.cause()));
                        }
                        return;
                    }
                    read(answered.result(), connection);
                });
            });
        }

        private void read(HttpClientResponse response, HttpConnection connection) {
            // First of all: once an answer is given up (reset), its stream fails, and that must reach a handler.
            response.exceptionHandler(this::failWith);
            int status = response.statusCode();
            if (status == 304 && !sent.isEmpty()) {
                response.endHandler(end -> {
                    proven.add(connection);
                    answer("not_modified", response.version()).increment();
                    succeed(new Answer(null, 0, validatorOf(response, sent), true));
                });
                return;
            }
            if (status != 200) {
                fail(UpstreamStatus.failure(status, response.getHeader("Retry-After")));
                return;
            }
            int cap = config.maxBodyBytes();
            String encoding = response.getHeader(HttpHeaders.CONTENT_ENCODING);
            try {
                body = AnswerBody.forAnswer(encoding, response.getHeader(HttpHeaders.CONTENT_LENGTH), cap);
            } catch (UpstreamException e) {
                fail(e);
                return;
            }
            response.handler(chunk -> {
                if (done.get()) {
                    return;
                }
                try {
                    body.append(chunk);
                } catch (UpstreamException e) {
                    fail(e);
                }
            });
            response.endHandler(end -> {
                if (done.get()) {
                    return;
                }
                try {
                    body.finish();
                } catch (UpstreamException e) {
                    fail(e);
                    return;
                }
                proven.add(connection);
                answer(body instanceof GzipBody ? "gzip" : "identity", response.version()).increment();
                succeed(new Answer(body.bytes(), body.length(), validatorOf(response, RangeValidator.NONE), false));
            });
        }

        private void failWith(Throwable failure) {
            fail(UpstreamException.classify(failure));
        }

        private void succeed(Answer answer) {
            if (done.compareAndSet(false, true)) {
                emitter.complete(answer);
            }
        }

        private void fail(UpstreamException failure) {
            if (done.compareAndSet(false, true)) {
                abandon();
                emitter.fail(failure);
            }
        }

        private void abandon() {
            HttpClientRequest request = current;
            if (request != null) {
                request.reset();
            }
            AnswerBody held = body;
            if (held != null) {
                held.abandon();
            }
        }
    }

    /** The validator of a 200, or of a 304 (which may omit what did not change: then the one sent is kept). */
    private static RangeValidator validatorOf(HttpClientResponse response, RangeValidator fallback) {
        RangeValidator fresh = RangeValidator.of(response.getHeader(HttpHeaders.ETAG), response.getHeader(HttpHeaders.LAST_MODIFIED));
        return fresh.isEmpty() ? fallback : fresh;
    }

    /**
     * The peer closed or refused the stream without a byte of the answer: nothing was processed, safe to send again.
     */
    private static boolean closedBeforeAnswer(Throwable failure) {
        return failure instanceof HttpClosedException
                || failure instanceof StreamResetException
                // A new stream on an HTTP/2 connection the peer has sent GOAWAY on (nginx does after
                // http2_max_requests), refused before it was sent.
                || failure.getClass().getName().startsWith("io.netty.handler.codec.http2.Http2Exception")
                || failure instanceof IOException && String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("reset")
                || failure instanceof IOException && String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("closed");
    }
}
