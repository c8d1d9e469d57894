package dev.pwcheck.mirror.sync;

import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.SessionInputBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sync's connections: the client's own, with the sync's line and header limits ({@link #MAX_LINE},
 * {@link #MAX_HEADERS}), and a stale check that takes a
 * connection with bytes on it that no request asked for as out of step, never to be used again. The client alone
 * keeps such bytes and reads them as the next request's answer: a server (or anything between) that sent one answer
 * too many, or a body longer than its length, would have a range stored under another prefix, silently. The pool
 * checks every connection it lends ({@code validateAfterInactivity} 0), and the check is the buffer's length and the
 * socket's {@code available()}: no read, no wait.
 */
final class InStepConnections implements HttpConnectionFactory<ManagedHttpClientConnection> {

    /** A status line or a header line: nginx and Cloudflare send well under 1 KB. */
    static final int MAX_LINE = 8 << 10;
    static final int MAX_HEADERS = 64;
    private static final Http1Config HTTP1 = Http1Config.custom().setMaxLineLength(MAX_LINE).setMaxHeaderCount(MAX_HEADERS).build();

    private static final AtomicLong COUNTER = new AtomicLong();

    @Override
    public ManagedHttpClientConnection createConnection(Socket socket) throws IOException {
        InStepConnection connection = InStepConnection.create("sync-" + COUNTER.getAndIncrement());
        if (socket != null) {
            connection.bind(socket);
        }
        return connection;
    }

    /** Where a connection's parser reads from: its input buffer, the same for every answer on the connection. */
    private static final class BufferSeen {
        volatile SessionInputBuffer buffer;
    }

    static final class InStepConnection extends DefaultManagedHttpClientConnection {

        private final BufferSeen seen;

        /** A connection with the sync's line and header limits. */
        static InStepConnection create(String id) {
            return new InStepConnection(id, HTTP1, new BufferSeen());
        }

        private InStepConnection(String id, Http1Config http1Config, BufferSeen seen) {
            // The connection asks its factory with no configuration: the parser's limits (the number of headers) come
            // from the one given here, as the client's own connection factory does.
            super(id, null, null, http1Config, null, null, null, ignored -> {
                HttpMessageParser<ClassicHttpResponse> parser = new DefaultHttpResponseParserFactory(http1Config).create();
                return new HttpMessageParser<>() {
                    @Override
                    public ClassicHttpResponse parse(SessionInputBuffer buffer, InputStream inputStream) throws IOException, HttpException {
                        seen.buffer = buffer;
                        return parser.parse(buffer, inputStream);
                    }
                };
            });
            this.seen = seen;
        }

        /** Closed, or bytes waiting that no request asked for: not to be used again. */
        @Override
        public boolean isStale() throws IOException {
            if (!isOpen()) {
                return true;
            }
            SessionInputBuffer buffer = seen.buffer;
            if (buffer != null && buffer.length() > 0) {
                return true;
            }
            Socket socket = getSocket();
            return socket == null || socket.isClosed() || socket.getInputStream().available() > 0;
        }
    }
}
