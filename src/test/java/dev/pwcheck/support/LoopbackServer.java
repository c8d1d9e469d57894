package dev.pwcheck.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket server on a free loopback port for the fakes that misbehave in ways no server library will: each
 * connection is served on a daemon thread of its own by {@code serve}, which gets the socket and the connection's
 * number (from 1). Closing it closes the listening socket and every connection still open.
 */
public final class LoopbackServer implements AutoCloseable {

    /** What a fake does with one connection; it may return, or throw, to close it. */
    public interface Serve {
        void serve(Socket socket, int number) throws Exception;
    }

    private final ServerSocket server;
    private final Serve serve;
    private final String name;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private LoopbackServer(String name, Serve serve) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.serve = serve;
        this.name = name;
    }

    public static LoopbackServer start(String name, Serve serve) throws IOException {
        LoopbackServer started = new LoopbackServer(name, serve);
        Thread acceptor = new Thread(started::accept, name);
        acceptor.setDaemon(true);
        acceptor.start();
        return started;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                int number = connections.incrementAndGet();
                Thread serving = new Thread(() -> {
                    try (socket) {
                        serve.serve(socket, number);
                    } catch (Exception gone) {
                        // the client went away, or the test is over
                    }
                }, name + "-" + number);
                serving.setDaemon(true);
                serving.start();
            } catch (IOException stopped) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
