package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;

/** Assertions on {@link QccException}s. */
final class Expect {
    private Expect() {
    }

    /** Asserts that {@code call} throws a {@link QccException} of {@code kind}, and returns it. */
    static QccException kind(ErrorKind kind, Executable call) {
        QccException e = assertThrows(QccException.class, call);
        assertEquals(kind, e.getKind(), () -> "wrong kind: " + e);
        return e;
    }

    /** Asserts that {@code future} fails with a {@link QccException} of {@code kind}, and returns it. */
    static QccException failed(ErrorKind kind, CompletableFuture<?> future) {
        ExecutionException wrapped = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
        QccException e = assertInstanceOf(QccException.class, wrapped.getCause());
        assertEquals(kind, e.getKind(), () -> "wrong kind: " + e);
        return e;
    }

    /** Asserts that a secret does not appear in an exception's text. */
    static void noSecret(QccException e, String secret) {
        assertTrue(!String.valueOf(e.getMessage()).contains(secret) && !e.toString().contains(secret),
                () -> "the secret leaked into: " + e);
    }
}
