package dev.pwcheck.mirror.sync;

import dev.pwcheck.mirror.store.StoreException;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP side of {@code mirror sync}: HTTP/1.1 over keep-alive connections (TLS when the upstream is https), gzip
 * asked for and inflated under the size cap ({@link dev.pwcheck.upstream.AnswerBody}, as the service does), and
 * conditional requests. Each of the sync's workers holds one {@link SyncConnection} and uses it from its own thread.
 *
 * <p>Why plain blocking sockets and not the Vert.x clients the service uses: a sync is a million GETs of one shape,
 * with nothing else to do on its threads, and on a 2-core machine the event-loop clients' per-read work (the channel
 * pipeline, buffers handed along it, and the JIT compiling all of it while the sync runs) took more CPU than parsing
 * and storing the ranges, and kept the sync below the rate a C downloader gets from the same upstream. Here a request
 * is prepared bytes, an answer is read with one {@code read} per arrival into a buffer the connection keeps, and only
 * the status, the framing headers, ETag, Content-Encoding and Retry-After are read ({@link ResponseReader}). It speaks
 * no HTTP/2: with one request per connection at a time, the connections a sync keeps ({@code --concurrency}) are what
 * HTTP/2's streams would be.
 *
 * <p>A watchdog thread gives up a request that waits past the timeout for a byte (connecting included), or past four
 * times it (and a second) for its whole answer, by closing its socket: the read blocked on it fails at once.
 *
 * <p>TLS is the JDK's: the server's certificate is checked against what the JVM trusts (its default trust store, or
 * {@code -Djavax.net.ssl.trustStore}) and its host name, and SNI names the host.
 */
final class SyncHttp implements Closeable {

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

    private final String host;
    private final int port;
    private final SSLSocketFactory tls;
    private final Duration timeout;
    private final long deadlineNanos;
    private final int maxBytes;
    private final AtomicLong wireBytes = new AtomicLong();
    private final String basePath;
    /** Everything of a request after its path: the version, Host, and the headers every request carries. */
    private final String requestTail;
    private final Set<SyncConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SyncHttp(URI upstream, Duration timeout, int maxBytes, String userAgent) {
        this.timeout = timeout;
        // Past the timeout with no byte the request fails; this catches a body that drips forever.
        this.deadlineNanos = timeout.toNanos() * 4 + TimeUnit.SECONDS.toNanos(1);
        this.maxBytes = maxBytes;
        this.basePath = upstream.getRawPath() == null ? "" : upstream.getRawPath().replaceAll("/+$", "");
        boolean https = "https".equalsIgnoreCase(upstream.getScheme());
        this.tls = https ? trustingWhatTheJvmTrusts() : null;
        this.port = upstream.getPort() > 0 ? upstream.getPort() : https ? 443 : 80;
        this.host = upstream.getHost();
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (upstream.getPort() > 0 ? ":" + port : "");
        this.requestTail = " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: " + userAgent
                + "\r\nAdd-Padding: true\r\nAccept-Encoding: gzip\r\n";
        Thread watchdog = new Thread(this::watch, "pwcheck-sync-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** A connection for one worker's thread, opened at its first request and again whenever the last one closed. */
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

    /** Body bytes received so far, as sent (compressed when gzipped), for the summary. */
    long wireBytes() {
        return wireBytes.get();
    }

    void received(Answer answer) {
        wireBytes.addAndGet(answer.wireBytes());
    }

    /** The GET of {@code path} (below the upstream's base), with {@code If-None-Match: etag} when {@code etag} is not null. */
    byte[] request(String path, String etag) {
        StringBuilder request = new StringBuilder(requestTail.length() + path.length() + 80)
                .append("GET ").append(basePath).append(path).append(requestTail);
        if (etag != null) {
            request.append("If-None-Match: ").append(etag).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Connects {@code plain} to the upstream and, when it is https, returns the TLS socket over it, handshaken. No
     * timeout is set on the socket: blocking calls without one are a single system call each (a timed read is a
     * poll and a read, and the JIT compiles far more of it); the watchdog closes a socket that overstays instead.
     */
    Socket open(Socket plain) throws IOException {
        if (closed) {
            throw new IOException("the sync is stopping");
        }
        plain.setTcpNoDelay(true);
        plain.setKeepAlive(true);
        plain.connect(new InetSocketAddress(host, port));
        if (tls == null) {
            return plain;
        }
        SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (isHostName(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        return secure;
    }

    /** Gives up, and closes, every connection that has waited past the timeout for a byte, or for its whole answer. */
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

    /**
     * TLS sockets that trust what the JVM trusts as this sync starts: the {@code javax.net.ssl.trustStore} given
     * (a private CA), else the JDK's CA certificates. A context of its own, not the JVM's default one, which is made
     * once and would keep whatever the properties said the first time anything in the process used TLS.
     */
    private static SSLSocketFactory trustingWhatTheJvmTrusts() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init((KeyStore) null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot set up TLS for the upstream: " + e.getMessage(), e);
        }
    }

    /** SNI names hosts, not addresses (RFC 6066 section 3). */
    private static boolean isHostName(String host) {
        return !host.contains(":") && !host.matches("[0-9.]+");
    }

    Duration timeout() {
        return timeout;
    }

    /** A failure as a sync reports it: its kind and message. */
    static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** Closes every connection: a worker blocked reading one gets a failure at once. */
    @Override
    public void close() {
        closed = true;
        for (SyncConnection connection : connections) {
            connection.close();
        }
    }
}
