package com.qccradar;

/**
 * The native methods, implemented in Rust by the crate {@code qcc-radar-jni}
 * ({@code bindings/java/src/natives.rs}); their names and signatures must match it.
 *
 * <p>Conventions: a client is a {@code long} handle (an id, never a pointer); unset numbers are
 * {@code -1} (NaN for fractions); each operation takes a {@link NativeSink} that receives its
 * outcome and an {@code async} flag. Blocking calls fill the sink before they return; async
 * calls return a task id for {@link #cancel(long)} and fill the sink later from a runtime thread.
 */
final class NativeBridge {
    private NativeBridge() {
    }

    static native long open(String appKey, String secretKey, String baseUrl, long connectTimeoutMs,
            long requestTimeoutMs, long readTimeoutMs, long waitTimeoutMs, long pollInitialMs,
            double pollFactor, long pollMaxMs, double pollJitter, int retryMaxAttempts, long retryBaseMs,
            long retryCapMs, long retryMaxElapsedMs, int clockSkewCorrection, String caFile, String proxy,
            String userAgentSuffix, NativeSink sink);

    static native boolean close(long handle);

    static native void describe(long handle, NativeSink sink);

    static native long createReport(long handle, String reportType, boolean async, NativeSink sink);

    static native long reportInfo(long handle, String orderNo, boolean async, NativeSink sink);

    static native long waitForReport(long handle, String orderNo, long timeoutMs, boolean async, NativeSink sink);

    static native long downloadReport(long handle, String orderNo, String outDir, boolean async, NativeSink sink);

    static native long fetchReport(long handle, String reportType, String outDir, long timeoutMs, boolean newOrder,
            String orderNo, boolean async, NativeSink sink);

    /** Every table of a report folder, column by column ({@code bindings/java/src/tables.rs}); blocking. */
    static native void readTables(String folder, NativeSink sink);

    static native boolean cancel(long task);

    static native int pendingTasks();

    static native void sign(String appKey, long timespan, String secretKey, NativeSink sink);

    static native String version();

    /** Every error kind's snake_case name the native library knows, as a {@code String[]}. */
    static native void errorKinds(NativeSink sink);

    /**
     * Panics inside the native library, for the test suite: the sink receives an {@code internal}
     * {@link QccException}. Only a library built with the cargo feature {@code test-hooks} (the
     * Maven build's own cargo step) has it; with any other, such as the packaged one, this throws
     * {@link UnsupportedOperationException}.
     */
    static void panicForTest(NativeSink sink) {
        try {
            panicForTest0(sink);
        } catch (UnsatisfiedLinkError e) {
            throw new UnsupportedOperationException(
                    "this native library was built without the test hooks (cargo feature test-hooks)", e);
        }
    }

    private static native void panicForTest0(NativeSink sink);
}
