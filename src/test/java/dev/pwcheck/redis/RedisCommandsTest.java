package dev.pwcheck.redis;

import dev.pwcheck.support.CapturedLogs;
import dev.pwcheck.support.LoopbackServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis that breaks the connection under a command (it resets it, as a Redis killed mid-write, a restarted pod or a
 * dropping proxy does): the command fails for its caller to decide, and no ERROR line is written. The client's own
 * {@code send} is run against the same Redis first, so the test shows the ERROR it replaces is real.
 */
class RedisCommandsTest {

    static Vertx vertx;
    static ResettingRedis server;

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        server = new ResettingRedis();
    }

    @AfterAll
    static void stop() throws IOException {
        vertx.closeAndAwait();
        server.close();
    }

    private static Redis client() {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + server.port()));
    }

    @Test
    void theClientsOwnSendLogsAnErrorWhenTheConnectionBreaksUnderACommand() throws InterruptedException {
        Redis redis = client();
        try (CapturedLogs logs = CapturedLogs.start()) {
            assertThrows(RuntimeException.class, () -> redis.send(Request.cmd(Command.GET).arg("k")).await().atMost(Duration.ofSeconds(30)));
            // The command fails first, the handler runs after it on the event loop: wait for the line, not a time.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (logs.errors().stream().noneMatch(line -> line.contains("Unhandled Error")) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(logs.errors().stream().anyMatch(line -> line.contains("Unhandled Error")), logs.errors().toString());
        } finally {
            redis.close();
        }
    }

    @Test
    void aCommandOnABrokenConnectionFailsWithoutAnErrorLine() throws InterruptedException {
        Redis redis = client();
        try (CapturedLogs logs = CapturedLogs.start()) {
            List<Throwable> broken = new CopyOnWriteArrayList<>();
            RedisCommands commands = new RedisCommands(redis, failure -> broken.add(failure));
            for (int i = 0; i < 5; i++) {
                assertThrows(RuntimeException.class, () -> commands.send(Request.cmd(Command.GET).arg("k")).await().atMost(Duration.ofSeconds(30)));
            }
            // The handler runs after the command has failed: wait until it has run for each of the five, so that the
            // client's default (the ERROR line) would have run by now if it still were the handler.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (broken.size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(5, broken.size(), "each broken connection reached the handler RedisCommands gave it");
            // The pool still hands out working connections afterwards: a PING is answered on a new one.
            assertEquals("PONG", commands.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(30)).toString());
            assertFalse(server.resets() < 5, "every GET met a reset connection: " + server.resets());
            assertEquals(List.of(), logs.errors());
        } finally {
            redis.close();
        }
    }

    @Test
    void aCommandGivenUpWhileItsConnectionIsLentDoesNotLoseTheConnection() throws IOException {
        // One connection in the pool, and a handshake slower than the caller waits: the caller gives up while the
        // connection is still being made. It must still go back to the pool once made, or nothing would get one again.
        try (ResettingRedis slow = new ResettingRedis(500, false)) {
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + slow.port())
                    .setMaxPoolSize(1).setMaxPoolWaiting(10));
            try {
                RedisCommands commands = new RedisCommands(redis);
                for (int i = 0; i < 3; i++) {
                    assertThrows(RuntimeException.class, () -> commands.send(Request.cmd(Command.GET).arg("k"))
                            .ifNoItem().after(Duration.ofMillis(50)).fail().await().atMost(Duration.ofSeconds(30)));
                }
                assertEquals("PONG", commands.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(30)).toString());
            } finally {
                redis.close();
            }
        }
    }

    /**
     * Answers the handshake (HELLO as an old server would, after {@code helloDelayMillis}, PING) and PING; anything
     * else resets the connection, or, when {@code resetOthers} is false, is answered with a null.
     */
    static final class ResettingRedis implements AutoCloseable {
        private final long helloDelayMillis;
        private final boolean resetOthers;
        private final LoopbackServer server;
        private volatile int resets;

        ResettingRedis() throws IOException {
            this(0, true);
        }

        ResettingRedis(long helloDelayMillis, boolean resetOthers) throws IOException {
            this.helloDelayMillis = helloDelayMillis;
            this.resetOthers = resetOthers;
            this.server = LoopbackServer.start("resetting-redis", (connection, number) -> serve(connection));
        }

        int port() {
            return server.port();
        }

        int resets() {
            return resets;
        }

        private void serve(Socket connection) throws IOException, InterruptedException {
            DataInputStream in = new DataInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            while (true) {
                String command = readCommand(in);
                if (command.equals("HELLO")) {
                    Thread.sleep(helloDelayMillis);
                    out.write("-ERR unknown command 'HELLO'\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (command.equals("PING")) {
                    out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (!resetOthers) {
                    out.write("$-1\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    connection.setSoLinger(true, 0); // close with a reset, not a polite end of stream
                    resets++;
                    return;
                }
                out.flush();
            }
        }

        /** One RESP array of bulk strings; its first element upper-cased. */
        private static String readCommand(DataInputStream in) throws IOException {
            int count = Integer.parseInt(line(in, '*'));
            String name = null;
            for (int i = 0; i < count; i++) {
                byte[] element = new byte[Integer.parseInt(line(in, '$'))];
                in.readFully(element);
                in.readFully(new byte[2]);
                if (name == null) {
                    name = new String(element, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
                }
            }
            return name;
        }

        private static String line(DataInputStream in, char type) throws IOException {
            if (in.readByte() != type) {
                throw new IOException("not a RESP " + type);
            }
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\r'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("end of stream");
                }
                line.append((char) b);
            }
            in.readByte();
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
