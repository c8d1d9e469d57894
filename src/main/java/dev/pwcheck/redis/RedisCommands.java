package dev.pwcheck.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Future;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import org.jboss.logging.Logger;

import java.util.function.Consumer;

/**
 * The one way a command reaches the shared tier's Redis, for the range tier, its health and the shared rate limits.
 *
 * <p>Why not the client's own {@code Redis.send}: it borrows a pooled connection whose exception handler is the Vert.x
 * client's default, which logs "Unhandled Error" at ERROR, with a stack trace, whenever a connection breaks under a
 * command (a write to a socket Redis has just closed, a reset). A Redis outage, which every replica survives by design,
 * then wrote ERROR lines from outside requests. The command's own result fails with the same exception either way, and
 * its caller already decides what that means (a miss, a fallback, a counter, a throttled warning); so each borrowed
 * connection is handed a DEBUG line as its handler before its command goes out. The one window left is a connection that
 * breaks during its own handshake, before it is lent: that one still reaches the default handler.
 */
public final class RedisCommands {

    private static final Logger LOG = Logger.getLogger(RedisCommands.class);
    private static final Consumer<Throwable> QUIET = failure ->
            LOG.debugf("A Redis connection broke (%s); its commands failed with it", failure.getClass().getSimpleName());

    private final Redis redis;
    private final Consumer<Throwable> onBroken;

    public RedisCommands(Redis redis) {
        this(redis, QUIET);
    }

    /** With another handler for broken connections: for a test to see that it, not the client's default, is called. */
    RedisCommands(Redis redis, Consumer<Throwable> onBroken) {
        this.redis = redis;
        this.onBroken = onBroken;
    }

    public static RedisCommands of(ReactiveRedisDataSource dataSource) {
        return new RedisCommands(dataSource.getRedis());
    }

    /**
     * One command on a pooled connection, which goes back to the pool (or away, if it broke) once answered. Composed
     * on the client's own futures, which a caller's timeout cannot cancel: a Uni chain cancelled while the connection
     * was still being lent would drop that connection when it came, never closed, and a pool of 16 would drain away.
     */
    public Uni<Response> send(Request request) {
        io.vertx.redis.client.Request bare = request.getDelegate();
        Future<io.vertx.redis.client.Response> answered = redis.getDelegate().connect().compose(connection -> {
            connection.exceptionHandler(onBroken::accept);
            return connection.send(bare).andThen(done -> connection.close());
        });
        return UniHelper.toUni(answered).map(answer -> answer == null ? null : Response.newInstance(answer));
    }
}
