package com.qccradar;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The sink of an {@code *Async} call. The native library calls it from a runtime thread that is
 * attached to the JVM only for the call, so it must return at once: it hands the completion to
 * the client's executor, and the future's dependent stages run there, never on a runtime thread.
 */
final class FutureSink<T> extends NativeSink {
    private final CompletableFuture<T> future;
    private final Function<Object, T> decode;
    private final Executor executor;

    FutureSink(CompletableFuture<T> future, Function<Object, T> decode, Executor executor) {
        this.future = future;
        this.decode = decode;
        this.executor = executor;
    }

    @Override
    void succeed(Object payload) {
        dispatch(() -> {
            T value;
            try {
                value = decode.apply(payload);
            } catch (QccException e) {
                future.completeExceptionally(e);
                return;
            } catch (RuntimeException e) {
                future.completeExceptionally(new QccException(ErrorKind.INTERNAL, null,
                        "internal error in the qcc-radar Java binding: " + e + "; please report this", null, e));
                return;
            }
            future.complete(value);
        });
    }

    @Override
    void fail(String kind, int code, boolean hasCode, String message, String serverMessage, String orderNo) {
        QccException error = QccException.fromNative(kind, code, hasCode, message, serverMessage, orderNo);
        dispatch(() -> future.completeExceptionally(error));
    }

    private void dispatch(Runnable completion) {
        try {
            executor.execute(completion);
        } catch (RejectedExecutionException e) {
            // The executor is shut down: completing here is better than never completing.
            completion.run();
        }
    }
}
