package com.qccradar;

/**
 * Where the native library delivers the outcome of one call: exactly one of the two methods is
 * called, once. Rust calls them through JNI (by name), so their signatures must not change.
 *
 * <p>Payloads are {@code null}, a {@code String} or a {@code String[]}; each call site decodes its
 * own. Errors arrive as their parts, and the {@link QccException} is built on the Java side.
 */
abstract class NativeSink {
    /** The call succeeded with {@code payload}. */
    abstract void succeed(Object payload);

    /**
     * The call failed; {@code code} is meaningful only when {@code hasCode}; {@code orderNo} is
     * the order the failure concerns, or null.
     */
    abstract void fail(String kind, int code, boolean hasCode, String message, String serverMessage,
            String orderNo);
}
