package dev.pwcheck.security;

import dev.pwcheck.redis.RedisCommands;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.redis.consts.LuaScripts;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Bucket4j's compare-and-swap backend for Redis, over the Vert.x Redis client the service already has for its shared
 * cache: the same protocol and the same Lua scripts as Bucket4j's Lettuce and Jedis backends (read the state, compute
 * the new one in the process, swap it in only if nobody changed it meanwhile, else retry), without a second Redis
 * client, its own connection pool and threads. Asynchronous only: the rate limiter runs on the event loop.
 */
final class RedisBucketStore extends AbstractCompareAndSwapBasedProxyManager<String> {

    private final RedisCommands redis;
    private final ExpirationAfterWriteStrategy expiration;

    RedisBucketStore(RedisCommands redis, ExpirationAfterWriteStrategy expiration) {
        super(ClientSideConfig.getDefault());
        this.redis = redis;
        this.expiration = expiration;
    }

    @Override
    public boolean isAsyncModeSupported() {
        return true;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("the shared buckets are used asynchronously only, never blocking a thread");
    }

    @Override
    public void removeProxy(String key) {
        throw new UnsupportedOperationException("the shared buckets are used asynchronously only, never blocking a thread");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        return redis.send(Request.cmd(Command.DEL).arg(key)).replaceWithVoid().subscribeAsCompletionStage();
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        return new AsyncCompareAndSwapOperation() {
            @Override
            public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
                return redis.send(Request.cmd(Command.GET).arg(key))
                        .map(value -> Optional.ofNullable(value == null ? null : value.toBytes()))
                        .subscribeAsCompletionStage();
            }

            @Override
            public CompletableFuture<Boolean> compareAndSwap(byte[] original, byte[] updated, RemoteBucketState state, Optional<Long> timeoutNanos) {
                return redis.send(swap(key, original, updated, state))
                        .map(RedisBucketStore::swapped)
                        .subscribeAsCompletionStage();
            }
        };
    }

    /** Bucket4j's own scripts: set if absent for a new bucket, else swap if unchanged; with an expiry when one applies. */
    private Request swap(String key, byte[] original, byte[] updated, RemoteBucketState state) {
        long ttlMillis = expiration.calculateTimeToLiveMillis(state, currentTimeNanos());
        Request request;
        if (original == null) {
            request = Request.cmd(Command.EVAL).arg(ttlMillis > 0 ? LuaScripts.SCRIPT_SET_NX_PX : LuaScripts.SCRIPT_SET_NX)
                    .arg(1).arg(key).arg(updated);
        } else {
            request = Request.cmd(Command.EVAL).arg(ttlMillis > 0 ? LuaScripts.SCRIPT_COMPARE_AND_SWAP_PX : LuaScripts.SCRIPT_COMPARE_AND_SWAP)
                    .arg(1).arg(key).arg(original).arg(updated);
        }
        return ttlMillis > 0 ? request.arg(ttlMillis) : request;
    }

    private static boolean swapped(Response answer) {
        return answer != null && answer.toInteger() == 1;
    }
}
