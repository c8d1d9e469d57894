package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP side of {@code mirror sync}, on Apache HttpClient 5 (classic, blocking): HTTP/1.1 over a pool of keep-alive
 * connections (TLS when the upstream is https), gzip asked for and inflated here under the size cap on the decoded
 * bytes ({@link dev.pwcheck.upstream.AnswerBody}, as the service does), and conditional requests. Each of the sync's
 * workers makes its requests through its own {@link SyncConnection}, from its own thread.
 *
 * <p>The client reads the framing (status line, headers, Content-Length, chunked coding) and refuses what is malformed
 * or ambiguous: a status line that is not HTTP/1.x, two Content-Lengths, a transfer coding other than chunked, a bad
 * chunk, lines over {@link InStepConnections#MAX_LINE} bytes or more than {@link InStepConnections#MAX_HEADERS}
 * headers (a folded header line it joins, as RFC 9112 lets a client). On top of it: a connection whose answer had both a Content-Length and chunked coding
 * (read by the chunks) is not used again, nor one with bytes on it that no request asked for
 * ({@link InStepConnections}); a request whose connection closed before a byte of its answer goes out again at once,
 * once (a GET is safe to repeat, and the server never acted on it: a kept-alive connection's limit or idle close raced
 * the request); redirects, cookies and the client's own decompression are off. Why a library and not a reader of our own: framing is where HTTP's security bugs live,
 * and every reviewer of a hand-written one must verify it again (docs/benchmarks.md, "mirror sync against a real
 * upstream", has the figures: measured in the same run, the sync on it (with {@link InStepConnections}) is about a fifth
 * slower than on its own reader, and still ahead of oschonrock/hibp's {@code hibp-download}).
 *
 * <p>A watchdog thread gives up a request that waits past the timeout for a byte (connecting included), or past four
 * times it (and a second) for its whole answer, by cancelling it: the read blocked on its socket fails at once.
 *
 * <p>TLS is the JDK's: the server's certificate is checked against what the JVM trusts (its default trust store, or
 * {@code -Djavax.net.ssl.trustStore}) and its host name (by the JDK, in the handshake), and SNI names the host.
 */
final class SyncHttp implements Closeable {

    /**
     * The client's own log, at WARNING and above. The mirror tool runs without the service's logging set up, where
     * the client's DEBUG lines (every byte on the wire among them) were on and were queued for a log that never
     * comes: the sync ran five times slower for it. Held here so that the setting outlives any collection.
     */
    private static final java.util.logging.Logger CLIENT_LOG = java.util.logging.Logger.getLogger("org.apache.hc");

    static {
        CLIENT_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /**
     * One answer: its status, its (decoded) body for a 200, the ETag and Retry-After it came with, and the body's
     * bytes as sent. The body's array is the connection's, and holds the next answer once the next request is made.
     */
    record Answer(int status, byte[] body, int length, String etag, String retryAfter, long wireBytes) {
    }

    /**
     * Why no answer can be used: the upstream sent one that is invalid (too large, badly encoded, malformed), or none
     * came (refused, reset, timed out). Its message names no secret: only the upstream and what went wrong.
     */
    static final class Failure extends Exception {
        private final boolean invalidAnswer;

        Failure(boolean invalidAnswer, String message) {
            super(message, null, false, false);
            this.invalidAnswer = invalidAnswer;
        }

        boolean invalidAnswer() {
            return invalidAnswer;
        }
    }

    private final HttpHost target;
    private final String basePath;
    private final Duration timeout;
    private final long deadlineNanos;
    private final int maxBytes;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;
    private final AtomicLong wireBytes = new AtomicLong();
    private final Set<SyncConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SyncHttp(URI upstream, Duration timeout, int maxBytes, String userAgent, int concurrency) {
        this.timeout = timeout;
        // Past the timeout with no byte the request fails; this catches a body that drips forever.
        this.deadlineNanos = timeout.toNanos() * 4 + TimeUnit.SECONDS.toNanos(1);
        this.maxBytes = maxBytes;
        this.basePath = upstream.getRawPath() == null ? "" : upstream.getRawPath().replaceAll("/+$", "");
        boolean https = "https".equalsIgnoreCase(upstream.getScheme());
        this.target = new HttpHost(https ? "https" : "http", upstream.getHost(), upstream.getPort());
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setConnectionFactory(new InStepConnections())
                // The JDK checks the host name in the handshake (BUILTIN), so a wrong name fails it as any TLS failure.
                .setTlsSocketStrategy(https ? new DefaultClientTlsStrategy(trustingWhatTheJvmTrusts(), HostnameVerificationPolicy.BUILTIN,
                        NoopHostnameVerifier.INSTANCE) : null)
                .setMaxConnTotal(concurrency)
                .setMaxConnPerRoute(concurrency)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(timeout))
                        // Every connection lent is checked first: out of step (InStepConnections) or closed, it goes.
                        .setValidateAfterInactivity(TimeValue.ZERO_MILLISECONDS).build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .setConnectionReuseStrategy(SyncHttp::reusable)
                .setRetryStrategy(new ResendUnanswered())
                .disableContentCompression()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(userAgent)
                .setDefaultHeaders(List.of(new BasicHeader("Add-Padding", "true"), new BasicHeader(HttpHeaders.ACCEPT_ENCODING, "gzip")))
                .build();
        Thread watchdog = new Thread(this::watch, "pwcheck-sync-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** A worker's way to the upstream, used from its thread only. */
    SyncConnection connection() {
        SyncConnection connection = new SyncConnection(this, maxBytes);
        connections.add(connection);
        if (closed) {
            connection.close();
        }
        return connection;
    }

    void forget(SyncConnection connection) {
        connections.remove(connection);
    }

    CloseableHttpClient client() {
        return client;
    }

    HttpHost target() {
        return target;
    }

    boolean closed() {
        return closed;
    }

    /** Body bytes received so far, as sent (compressed when gzipped), for the summary. */
    long wireBytes() {
        return wireBytes.get();
    }

    void received(Answer answer) {
        wireBytes.addAndGet(answer.wireBytes());
    }

    /** The GET of {@code path} (below the upstream's base), with {@code If-None-Match: etag} when {@code etag} is not null. */
    HttpGet request(String path, String etag) {
        HttpGet get = new HttpGet(basePath + path);
        if (etag != null) {
            get.addHeader(HttpHeaders.IF_NONE_MATCH, etag);
        }
        return get;
    }

    /** Gives up every request that has waited past the timeout for a byte, or for its whole answer. */
    private void watch() {
        long period = Math.max(50, Math.min(1000, timeout.toMillis() / 10));
        while (!closed) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (SyncConnection connection : connections) {
                connection.expireIfLate(now, timeout.toNanos(), deadlineNanos);
            }
        }
    }

    /** Keep-alive as the client decides, except after an answer framed two ways at once (how answers are smuggled). */
    private static boolean reusable(HttpRequest request, HttpResponse response, HttpContext context) {
        if (response.containsHeader(HttpHeaders.TRANSFER_ENCODING) && response.containsHeader(HttpHeaders.CONTENT_LENGTH)) {
            return false;
        }
        return DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);
    }

    /** A request whose connection closed before a byte of the answer goes out again at once, once; nothing else is retried here. */
    private static final class ResendUnanswered implements HttpRequestRetryStrategy {
        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            return execCount == 1 && exception instanceof NoHttpResponseException;
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false; // 429 and 5xx are the sync's to retry, after its back-off or the Retry-After asked for
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }

    /**
     * TLS that trusts what the JVM trusts as this sync starts: the {@code javax.net.ssl.trustStore} given (a private
     * CA), else the JDK's CA certificates. A context of its own, not the JVM's default one, which is made once and
     * would keep whatever the properties said the first time anything in the process used TLS.
     */
    private static SSLContext trustingWhatTheJvmTrusts() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init((KeyStore) null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot set up TLS for the upstream: " + e.getMessage(), e);
        }
    }

    Duration timeout() {
        return timeout;
    }

    /** A failure as a sync reports it: its kind and message. */
    static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** Cancels every request in flight (a worker blocked reading gets a failure at once) and closes the pool. */
    @Override
    public void close() {
        closed = true;
        for (SyncConnection connection : connections) {
            connection.close();
        }
        client.close(CloseMode.IMMEDIATE);
    }
}
