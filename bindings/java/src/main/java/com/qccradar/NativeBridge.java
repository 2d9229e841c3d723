package com.qccradar;

/**
 * The native methods, implemented in Rust by the crate {@code qcc-radar-jni}
 * ({@code bindings/java/src/}: {@code client.rs} for the client and its operations,
 * {@code calls.rs}, {@code tables.rs}, {@code sign.rs}, {@code errors.rs},
 * {@code test_hooks.rs}); their names and signatures must match it.
 *
 * <p>Conventions: a client is a {@code long} handle (an id, never a pointer); settings and
 * options travel as the parallel arrays of a {@link NamedValues} ({@code names, kinds, texts,
 * numbers}), mapped by name on the native side; each operation takes a {@link NativeSink} that
 * receives its outcome and an {@code async} flag. Blocking calls fill the sink before they
 * return; async calls return a task id for {@link #cancel(long)} and fill the sink later from a
 * runtime thread.
 */
final class NativeBridge {
    private NativeBridge() {
    }

    /** Builds a client from its settings; {@code progress} may be null. 0 after an error. */
    static native long open(String[] names, byte[] kinds, String[] texts, double[] numbers, String binding,
            ProgressSink progress, NativeSink sink);

    /** Closes: calls in flight end CANCELLED, later ones CONFIG. True when it was open. */
    static native boolean close(long handle);

    /** Forgets a collected client without closing it, so its async calls still finish. */
    static native boolean release(long handle);

    static native void describe(long handle, NativeSink sink);

    static native long createReport(long handle, String reportType, boolean async, NativeSink sink);

    static native long reportInfo(long handle, String orderNo, boolean async, NativeSink sink);

    static native long waitForReport(long handle, String orderNo, String[] names, byte[] kinds, String[] texts,
            double[] numbers, boolean async, NativeSink sink);

    static native long downloadReport(long handle, String orderNo, String outDir, boolean async, NativeSink sink);

    static native long fetchReport(long handle, String reportType, String outDir, String[] names, byte[] kinds,
            String[] texts, double[] numbers, boolean async, NativeSink sink);

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
