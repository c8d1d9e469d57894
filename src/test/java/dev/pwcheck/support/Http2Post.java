package dev.pwcheck.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A POST over cleartext HTTP/2 with prior knowledge, its body in 16 KB DATA frames, with or without a Content-Length:
 * without one, HTTP/2's only framing is the end of the stream (there is no chunked coding), so the server learns the
 * size as the body arrives.
 */
public final class Http2Post {

    /** What came back: the status (0 when the stream failed), the content type and the body, or the failure. */
    public record Answer(int status, String contentType, String body) {
    }

    private Http2Post() {
    }

    public static Answer post(String host, int port, String path, byte[] body, boolean declareLength) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            // The client's own connection failing (a write after the server ended the stream and moved on) is the
            // client's business, not a line of the service's log.
            client.connectionHandler(connection -> connection.exceptionHandler(failure -> { }));
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            client.request(HttpMethod.POST, port, host, path).onComplete(opened -> {
                if (opened.failed()) {
                    answer.completeExceptionally(opened.cause());
                    return;
                }
                HttpClientRequest request = opened.result().putHeader("Content-Type", "application/json");
                if (declareLength) {
                    request.putHeader("Content-Length", Integer.toString(body.length));
                } else {
                    request.setChunked(true);
                }
                request.response().onComplete(response -> {
                    if (response.failed()) {
                        answer.complete(new Answer(0, "", response.cause().toString()));
                        return;
                    }
                    String type = response.result().getHeader("Content-Type");
                    response.result().body().onComplete(read -> answer.complete(new Answer(response.result().statusCode(), type,
                            read.succeeded() ? read.result().toString() : "")));
                });
                for (int at = 0; at < body.length; at += 16_384) {
                    request.write(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + 16_384))));
                }
                request.end();
            });
            return answer.get(60, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
