package dev.pwcheck.mirror;

import dev.pwcheck.upstream.AnswerBody;
import dev.pwcheck.upstream.UpstreamException;
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
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of {@code mirror sync}: the Vert.x client the service's upstream client is built on, in a Vert.x of
 * its own (the command line starts no service), with a keep-alive connection per request in flight (HTTP/2 over TLS
 * where the upstream offers it), gzip asked for and inflated under the size cap ({@link AnswerBody}, as the service
 * does), and conditional requests. Sync workers block on {@link #get}; the event loops only move bytes.
 */
final class SyncHttp implements Closeable {

    /** One answer: 200 with its (decoded) body, 304, or another status, with the ETag and the bytes that came over the wire. */
    record Answer(int status, byte[] body, int length, String etag, String retryAfter, long wireBytes) {
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final URI upstream;
    private final String userAgent;
    private final Duration timeout;
    private final int maxBytes;
    private final AtomicLong wireBytes = new AtomicLong();

    SyncHttp(URI upstream, int concurrency, Duration timeout, int maxBytes, String userAgent) {
        this.upstream = upstream;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.userAgent = userAgent;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())))
                .setPreferNativeTransport(false));
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
        this.client = vertx.httpClientBuilder().with(options)
                .with(new PoolOptions().setHttp1MaxSize(concurrency).setHttp2MaxSize(Math.max(1, concurrency / 100 + 1)))
                .build();
    }

    /** Body bytes received so far, as sent (compressed when gzipped), for the summary. */
    long wireBytes() {
        return wireBytes.get();
    }

    /**
     * GETs {@code path} (below the upstream's base), with {@code If-None-Match: etag} when {@code etag} is not null.
     *
     * @throws IOException when no answer came (refused, reset, timed out), or the answer could not be read
     * @throws UpstreamException when a 200's body is too large or badly encoded
     */
    Answer get(String path, String etag) throws IOException, InterruptedException {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setURI((upstream.getRawPath() == null ? "" : upstream.getRawPath()) + path)
                .setIdleTimeout(timeout.toMillis())
                .putHeader(HttpHeaders.USER_AGENT, userAgent)
                .putHeader("Add-Padding", "true")
                .putHeader(HttpHeaders.ACCEPT_ENCODING, "gzip");
        if (etag != null) {
            request.putHeader(HttpHeaders.IF_NONE_MATCH, etag);
        }
        client.request(request).onComplete(connected -> {
            if (connected.failed()) {
                answer.completeExceptionally(connected.cause());
                return;
            }
            connected.result().send().onComplete(sent -> {
                if (sent.failed()) {
                    answer.completeExceptionally(sent.cause());
                } else {
                    read(sent.result(), answer);
                }
            });
        });
        try {
            // Past the idle timeout the client fails the request itself; this only catches a body that drips forever.
            return answer.get(timeout.toMillis() * 4 + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpstreamException upstreamFailure) {
                throw upstreamFailure;
            }
            throw new IOException(e.getCause().getClass().getSimpleName() + (e.getCause().getMessage() == null ? "" : ": " + e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no whole answer within " + timeout.multipliedBy(4));
        }
    }

    private void read(HttpClientResponse response, CompletableFuture<Answer> answer) {
        int status = response.statusCode();
        String etag = response.getHeader(HttpHeaders.ETAG);
        response.exceptionHandler(answer::completeExceptionally);
        if (status != 200) {
            response.handler(chunk -> wireBytes.addAndGet(chunk.length()));
            response.endHandler(end -> answer.complete(new Answer(status, null, 0, etag, response.getHeader("Retry-After"), 0)));
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
                answer.complete(new Answer(200, body.bytes(), body.length(), etag, null, received[0]));
            } catch (UpstreamException e) {
                answer.completeExceptionally(e);
            }
        });
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
