package com.qccradar;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The QCC Pro risk-monitoring report client: order a report, wait for it, download and safely
 * extract it.
 *
 * <pre>{@code
 * try (RadarClient client = new RadarClient(null, null, null)) {   // QCC_APP_KEY, QCC_SECRET_KEY, QCC_BASE_URL
 *     Optional<Report> report = client.fetchReport(ReportType.DAY, Path.of("reports"));
 *     report.ifPresentOrElse(
 *             r -> System.out.println(r.files().size() + " files in " + r.folder()),
 *             () -> System.out.println("no risk changes today"));
 * }
 * }</pre>
 *
 * <p><b>Re-runs are free.</b> {@link #fetchReport(ReportType, Path) fetchReport} keeps an order
 * ledger in its folder: calling it again (a re-run notebook cell, a cron job) returns the same
 * report or resumes the same order rather than paying for another. When createReport's answer
 * was lost it fails with {@link ErrorKind#UNCONFIRMED_ORDER} and orders nothing more until you
 * pass the order you found in QCC's console ({@link FetchOptions#orderNo(String) orderNo}) or
 * {@link FetchOptions#newOrder(boolean) newOrder(true)}.
 *
 * <p><b>No change is not an error.</b> When no monitored company had a risk change, createReport
 * answers "no result" and there is no report: {@link #createReport(ReportType)} and
 * {@link #fetchReport(ReportType, Path)} then return an empty {@link Optional}. Every failure
 * is a {@link QccException} with an {@link ErrorKind}.
 *
 * <p><b>Threads.</b> A client is safe to share between threads; calls may run concurrently.
 * The blocking methods wait on the calling thread and honour {@link Thread#interrupt()}: the
 * work is cancelled and a {@link ErrorKind#CANCELLED} exception thrown, with the interrupt flag
 * left set. The {@code *Async} methods use no Java thread while they wait; their futures are
 * completed on the {@linkplain RadarClientBuilder#callbackExecutor(Executor) callback
 * executor}, they fail with a {@link QccException} (wrapped by {@code get()} and {@code join()}
 * as usual), and {@code cancel(…)} on one cancels the work.
 *
 * <p><b>Closing.</b> {@link #close()} (or the end of a try-with-resources block) stops the
 * client as in every qcc-radar language: calls running on it, blocking or async, end at once
 * with a {@link ErrorKind#CANCELLED} exception (a partial download is removed, the folder's
 * lock released); calls made after it, or racing with it on another thread, throw
 * {@link ErrorKind#CONFIG} and never touch freed memory; closing again does nothing. A client
 * that is never closed is released when it is garbage-collected, once its calls are done.
 *
 * <p><b>Progress.</b> A {@link ProgressListener} set with
 * {@link RadarClientBuilder#onProgress(ProgressListener)} hears of each order placed, poll,
 * downloaded chunk and extracted entry, on the callback executor.
 */
public final class RadarClient implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final String CLOSED_MESSAGE =
            "this RadarClient is closed; create a new one to make more calls";

    private final AtomicLong handle;
    private final Cleaner.Cleanable cleanable;
    private final Executor executor;
    private final String baseUrl;
    private final String appKey;

    /**
     * Releases the handle of a client the garbage collector found unclosed: forgets it without
     * closing, so an async call it started still finishes (nobody can reach the client any more,
     * but its future may still be awaited). After {@link #close()} there is nothing to release.
     */
    private static final class Release implements Runnable {
        private final AtomicLong handle;

        Release(AtomicLong handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            long h = handle.getAndSet(0);
            if (h != 0) {
                NativeBridge.release(h);
            }
        }
    }

    RadarClient(long handle, Executor executor) {
        this.handle = new AtomicLong(handle);
        this.cleanable = CLEANER.register(this, new Release(this.handle));
        this.executor = executor;
        String[] description = (String[]) blocking(sink -> {
            NativeBridge.describe(handle, sink);
            return 0;
        });
        this.baseUrl = description[0];
        this.appKey = description[1];
    }

    /**
     * A client from explicit settings; a null argument falls back to the environment
     * ({@code QCC_APP_KEY}, {@code QCC_SECRET_KEY}, {@code QCC_BASE_URL}, default
     * {@code https://pro.qcc.com}). Use {@link #builder()} for timeouts and the rest.
     *
     * @param appKey the app key, or null
     * @param secretKey the secret key, or null
     * @param baseUrl the base URL, or null
     * @throws QccException of kind {@link ErrorKind#CONFIG} when a credential is missing or bad
     */
    public RadarClient(String appKey, String secretKey, String baseUrl) {
        this(builder().appKey(appKey).secretKey(secretKey).baseUrl(baseUrl));
    }

    private RadarClient(RadarClientBuilder builder) {
        this(builder.openHandle(), builder.callbackExecutor());
    }

    /**
     * A builder for every setting.
     *
     * @return a new builder
     */
    public static RadarClientBuilder builder() {
        return new RadarClientBuilder();
    }

    // ---- ordering ----

    /**
     * Orders a report (createReport). Never retried once the request may have reached the
     * server: a second attempt could pay for a second order.
     *
     * @param type the report type
     * @return the order number, or empty when there were no risk changes (so no report)
     * @throws QccException on failure
     */
    public Optional<String> createReport(ReportType type) {
        return createReport(apiName(type));
    }

    /**
     * Orders a report by type name.
     *
     * @param type {@code "day"}, {@code "week"} or {@code "month"} (any case)
     * @return the order number, or empty when there were no risk changes
     * @throws QccException on failure; {@link ErrorKind#CONFIG} for an unknown type
     */
    public Optional<String> createReport(String type) {
        return Optional.ofNullable((String) blocking(sink -> NativeBridge.createReport(open(), type, false, sink)));
    }

    /**
     * {@link #createReport(ReportType)} without blocking a thread.
     *
     * @param type the report type
     * @return the order number, or empty when there were no risk changes
     */
    public CompletableFuture<Optional<String>> createReportAsync(ReportType type) {
        return createReportAsync(apiName(type));
    }

    /**
     * {@link #createReport(String)} without blocking a thread.
     *
     * @param type {@code "day"}, {@code "week"} or {@code "month"}
     * @return the order number, or empty when there were no risk changes
     */
    public CompletableFuture<Optional<String>> createReportAsync(String type) {
        return async(p -> Optional.ofNullable((String) p),
                sink -> NativeBridge.createReport(open(), type, true, sink));
    }

    // ---- asking ----

    /**
     * Asks where an order stands (getReportInfo), once. Safe to repeat.
     *
     * @param orderNo the order number
     * @return its status, and the download link once made
     * @throws QccException on failure; {@link ErrorKind#INVALID_REQUEST} for an unknown order
     */
    public ReportInfo reportInfo(String orderNo) {
        return ReportInfo.fromNative(blocking(sink -> NativeBridge.reportInfo(open(), orderNo, false, sink)));
    }

    /**
     * {@link #reportInfo(String)} without blocking a thread.
     *
     * @param orderNo the order number
     * @return its status
     */
    public CompletableFuture<ReportInfo> reportInfoAsync(String orderNo) {
        return async(ReportInfo::fromNative, sink -> NativeBridge.reportInfo(open(), orderNo, true, sink));
    }

    // ---- waiting ----

    /**
     * Polls until the report is made, up to the client's wait timeout.
     *
     * @param orderNo the order number
     * @return the made report's status and link
     * @throws QccException {@link ErrorKind#REPORT_FAILED} when QCC could not make it,
     *     {@link ErrorKind#TIMEOUT} past the deadline
     */
    public ReportInfo waitForReport(String orderNo) {
        return waitForReport(orderNo, null);
    }

    /**
     * Polls until the report is made, up to {@code timeout}.
     *
     * @param orderNo the order number
     * @param timeout the deadline, or null for the client's wait timeout
     * @return the made report's status and link
     * @throws QccException {@link ErrorKind#REPORT_FAILED} when QCC could not make it,
     *     {@link ErrorKind#TIMEOUT} past the deadline
     */
    public ReportInfo waitForReport(String orderNo, Duration timeout) {
        NamedValues t = new NamedValues().duration("timeout", timeout);
        return ReportInfo.fromNative(blocking(sink -> NativeBridge.waitForReport(open(), orderNo, t.names(), t.kinds(),
                t.texts(), t.numbers(), false, sink)));
    }

    /**
     * {@link #waitForReport(String)} without blocking a thread.
     *
     * @param orderNo the order number
     * @return the made report's status and link
     */
    public CompletableFuture<ReportInfo> waitForReportAsync(String orderNo) {
        return waitForReportAsync(orderNo, null);
    }

    /**
     * {@link #waitForReport(String, Duration)} without blocking a thread.
     *
     * @param orderNo the order number
     * @param timeout the deadline, or null for the client's wait timeout
     * @return the made report's status and link
     */
    public CompletableFuture<ReportInfo> waitForReportAsync(String orderNo, Duration timeout) {
        NamedValues t = new NamedValues().duration("timeout", timeout);
        return async(ReportInfo::fromNative, sink -> NativeBridge.waitForReport(open(), orderNo, t.names(), t.kinds(),
                t.texts(), t.numbers(), true, sink));
    }

    // ---- downloading ----

    /**
     * Downloads a made report into {@code outDir} as {@code <orderNo>.zip} and extracts it into
     * {@code <orderNo>/}, both atomically; an expired link is refreshed.
     *
     * @param orderNo the order number (status {@code S}: wait first)
     * @param outDir the folder, created if needed
     * @return the report on disk
     * @throws QccException {@link ErrorKind#ARCHIVE} when the archive is not a sound, safe zip
     *     (nothing is left behind)
     */
    public Report downloadReport(String orderNo, Path outDir) {
        String dir = dir(outDir);
        return Report.fromNative(blocking(sink -> NativeBridge.downloadReport(open(), orderNo, dir, false, sink)));
    }

    /**
     * {@link #downloadReport(String, Path)} without blocking a thread.
     *
     * @param orderNo the order number
     * @param outDir the folder
     * @return the report on disk
     */
    public CompletableFuture<Report> downloadReportAsync(String orderNo, Path outDir) {
        return async(Report::fromNative, sink -> NativeBridge.downloadReport(open(), orderNo, dir(outDir), true, sink));
    }

    // ---- the whole flow ----

    /**
     * Orders, waits (up to the client's wait timeout), downloads and extracts a report, backed
     * by the order ledger kept in {@code outDir} ({@code qcc-radar-journal.json}, locked by
     * {@code .qcc-radar.lock}): a re-run for the same server, app key, report type and period
     * returns the report already fetched (or "no change") and sends nothing, resumes an order
     * already placed, and never orders again after a lost answer
     * ({@link ErrorKind#UNCONFIRMED_ORDER}). {@link FetchOptions#newOrder(boolean)} orders
     * anyway.
     *
     * @param type the report type
     * @param outDir the folder, created if needed
     * @return the report, or empty when there were no risk changes (so no report)
     * @throws QccException on failure; {@link QccException#getOrderNo()} names the order when
     *     one exists
     */
    public Optional<Report> fetchReport(ReportType type, Path outDir) {
        return fetchReport(type, outDir, FetchOptions.defaults());
    }

    /**
     * {@link #fetchReport(ReportType, Path)} with an explicit wait deadline.
     *
     * @param type the report type
     * @param outDir the folder, created if needed
     * @param timeout the wait deadline, or null for the client's wait timeout
     * @return the report, or empty when there were no risk changes
     * @throws QccException on failure
     */
    public Optional<Report> fetchReport(ReportType type, Path outDir, Duration timeout) {
        return fetchReport(type, outDir, FetchOptions.defaults().timeout(timeout));
    }

    /**
     * {@link #fetchReport(ReportType, Path)} with options: the wait deadline,
     * {@link FetchOptions#newOrder(boolean) newOrder} to order whatever the ledger says, and
     * {@link FetchOptions#orderNo(String) orderNo} to resume an order found in QCC's console.
     *
     * @param type the report type
     * @param outDir the folder, created if needed
     * @param options the options, or null for {@link FetchOptions#defaults()}
     * @return the report, or empty when there were no risk changes
     * @throws QccException on failure
     */
    public Optional<Report> fetchReport(ReportType type, Path outDir, FetchOptions options) {
        return fetchReport(apiName(type), outDir, options);
    }

    /**
     * {@link #fetchReport(ReportType, Path)} by type name, as {@link #createReport(String)}
     * takes it (a name from a configuration file or a command line).
     *
     * @param type {@code "day"}, {@code "week"} or {@code "month"} (any case)
     * @param outDir the folder, created if needed
     * @return the report, or empty when there were no risk changes
     * @throws QccException on failure; {@link ErrorKind#CONFIG} for an unknown type, before
     *     anything is sent
     */
    public Optional<Report> fetchReport(String type, Path outDir) {
        return fetchReport(type, outDir, FetchOptions.defaults());
    }

    /**
     * {@link #fetchReport(ReportType, Path, Duration)} by type name.
     *
     * @param type {@code "day"}, {@code "week"} or {@code "month"} (any case)
     * @param outDir the folder, created if needed
     * @param timeout the wait deadline, or null for the client's wait timeout
     * @return the report, or empty when there were no risk changes
     * @throws QccException on failure; {@link ErrorKind#CONFIG} for an unknown type, before
     *     anything is sent
     */
    public Optional<Report> fetchReport(String type, Path outDir, Duration timeout) {
        return fetchReport(type, outDir, FetchOptions.defaults().timeout(timeout));
    }

    /**
     * {@link #fetchReport(ReportType, Path, FetchOptions)} by type name.
     *
     * @param type {@code "day"}, {@code "week"} or {@code "month"} (any case)
     * @param outDir the folder, created if needed
     * @param options the options, or null for {@link FetchOptions#defaults()}
     * @return the report, or empty when there were no risk changes
     * @throws QccException on failure; {@link ErrorKind#CONFIG} for an unknown type, before
     *     anything is sent
     */
    public Optional<Report> fetchReport(String type, Path outDir, FetchOptions options) {
        NamedValues o = (options == null ? FetchOptions.defaults() : options).toNamedValues();
        String dir = dir(outDir);
        return Optional.ofNullable(blocking(sink -> NativeBridge.fetchReport(open(), type, dir, o.names(), o.kinds(),
                o.texts(), o.numbers(), false, sink))).map(Report::fromNative);
    }

    /**
     * {@link #fetchReport(ReportType, Path)} without blocking a thread.
     *
     * @param type the report type
     * @param outDir the folder
     * @return the report, or empty when there were no risk changes
     */
    public CompletableFuture<Optional<Report>> fetchReportAsync(ReportType type, Path outDir) {
        return fetchReportAsync(type, outDir, FetchOptions.defaults());
    }

    /**
     * {@link #fetchReport(ReportType, Path, Duration)} without blocking a thread.
     *
     * @param type the report type
     * @param outDir the folder
     * @param timeout the wait deadline, or null for the client's wait timeout
     * @return the report, or empty when there were no risk changes
     */
    public CompletableFuture<Optional<Report>> fetchReportAsync(ReportType type, Path outDir, Duration timeout) {
        return fetchReportAsync(type, outDir, FetchOptions.defaults().timeout(timeout));
    }

    /**
     * {@link #fetchReport(ReportType, Path, FetchOptions)} without blocking a thread.
     *
     * @param type the report type
     * @param outDir the folder
     * @param options the options, or null for {@link FetchOptions#defaults()}
     * @return the report, or empty when there were no risk changes
     */
    public CompletableFuture<Optional<Report>> fetchReportAsync(ReportType type, Path outDir, FetchOptions options) {
        return fetchReportAsync(apiName(type), outDir, options);
    }

    /**
     * {@link #fetchReport(String, Path)} without blocking a thread.
     *
     * @param type {@code "day"}, {@code "week"} or {@code "month"}
     * @param outDir the folder
     * @return the report, or empty when there were no risk changes
     */
    public CompletableFuture<Optional<Report>> fetchReportAsync(String type, Path outDir) {
        return fetchReportAsync(type, outDir, FetchOptions.defaults());
    }

    /**
     * {@link #fetchReport(String, Path, Duration)} without blocking a thread.
     *
     * @param type {@code "day"}, {@code "week"} or {@code "month"}
     * @param outDir the folder
     * @param timeout the wait deadline, or null for the client's wait timeout
     * @return the report, or empty when there were no risk changes
     */
    public CompletableFuture<Optional<Report>> fetchReportAsync(String type, Path outDir, Duration timeout) {
        return fetchReportAsync(type, outDir, FetchOptions.defaults().timeout(timeout));
    }

    /**
     * {@link #fetchReport(String, Path, FetchOptions)} without blocking a thread.
     *
     * @param type {@code "day"}, {@code "week"} or {@code "month"}
     * @param outDir the folder
     * @param options the options, or null for {@link FetchOptions#defaults()}
     * @return the report, or empty when there were no risk changes
     */
    public CompletableFuture<Optional<Report>> fetchReportAsync(String type, Path outDir, FetchOptions options) {
        NamedValues o = (options == null ? FetchOptions.defaults() : options).toNamedValues();
        return async(p -> Optional.ofNullable(p).map(Report::fromNative),
                sink -> NativeBridge.fetchReport(open(), type, dir(outDir), o.names(), o.kinds(), o.texts(),
                        o.numbers(), true, sink));
    }

    // ---- signing ----

    /**
     * The {@code Token} header for a request: upper-case hex MD5 of
     * {@code appKey + timespan + secretKey}. For calling the API by other means (curl…); the
     * client signs its own requests.
     *
     * @param appKey the app key
     * @param timespan the {@code Timespan} header: Unix time in whole seconds
     * @param secretKey the secret key
     * @return the 32-character Token
     * @throws QccException of kind {@link ErrorKind#CONFIG} for a null key or a negative timespan
     */
    public static String sign(String appKey, long timespan, String secretKey) {
        NativeLibrary.ensureLoaded();
        return (String) blocking(sink -> {
            NativeBridge.sign(appKey, timespan, secretKey, sink);
            return 0;
        });
    }

    /**
     * The version of the native qcc-radar client inside.
     *
     * @return a version such as {@code 0.1.0}
     */
    public static String version() {
        NativeLibrary.ensureLoaded();
        return guard(NativeBridge::version);
    }

    /**
     * Where the native library was loaded from: {@code java.library.path}, or
     * {@code resource:/native/linux-x86_64/libqcc_radar_jni.so} when it came from the jar.
     *
     * @return the source, loading the library if needed
     */
    public static String nativeLibrarySource() {
        NativeLibrary.ensureLoaded();
        return NativeLibrary.source();
    }

    // ---- lifecycle ----

    /**
     * The base URL requests go to.
     *
     * @return the base URL
     */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The app key in use (it travels in every request's query, so it is not a secret).
     *
     * @return the app key
     */
    public String appKey() {
        return appKey;
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return handle.get() == 0;
    }

    /**
     * Closes the client: calls running on it (blocking or async, on any thread) end at once with
     * a {@link ErrorKind#CANCELLED} {@link QccException}, and later calls throw
     * {@link ErrorKind#CONFIG}. Closing again does nothing.
     */
    @Override
    public void close() {
        long h = handle.getAndSet(0);
        if (h != 0) {
            NativeBridge.close(h);
        }
        cleanable.clean(); // nothing left to release; unregisters from the cleaner
    }

    @Override
    public String toString() {
        return "RadarClient[baseUrl=" + baseUrl + ", appKey=" + appKey + (isClosed() ? ", closed" : "") + "]";
    }

    // ---- plumbing ----

    /** A native call that fills a sink and returns a task id (or 0). */
    @FunctionalInterface
    private interface SinkCall {
        long call(NativeSink sink);
    }

    private long open() {
        long h = handle.get();
        if (h == 0) {
            throw new QccException(ErrorKind.CONFIG, CLOSED_MESSAGE);
        }
        return h;
    }

    /** Runs a blocking native call and returns its payload, or throws its error. */
    private static Object blocking(SinkCall call) {
        BlockingSink sink = new BlockingSink();
        guard(() -> call.call(sink));
        return sink.get();
    }

    /** Starts an async native call; the future is cancelled in Rust when it is cancelled here. */
    private <T> CompletableFuture<T> async(Function<Object, T> decode, SinkCall call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        long task;
        try {
            task = guard(() -> call.call(new FutureSink<>(future, decode, executor)));
        } catch (QccException e) {
            future.completeExceptionally(e);
            return future;
        }
        if (task != 0) {
            future.whenComplete((value, error) -> {
                if (future.isCancelled()) {
                    NativeBridge.cancel(task);
                }
            });
        }
        return future;
    }

    /**
     * Runs a native call, turning anything but a {@link QccException} that escapes it (a
     * {@code RuntimeException} from a failed JNI call) into an {@link ErrorKind#INTERNAL} one.
     */
    static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (QccException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new QccException(ErrorKind.INTERNAL, null,
                    "internal error in the qcc-radar Java binding: " + e + "; please report this", null, e);
        }
    }

    private static String apiName(ReportType type) {
        return type == null ? null : type.apiName();
    }

    private static String dir(Path outDir) {
        return outDir == null ? null : outDir.toAbsolutePath().toString();
    }

    static int pendingTasks() {
        return NativeBridge.pendingTasks();
    }
}
