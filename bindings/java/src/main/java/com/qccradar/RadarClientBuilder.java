package com.qccradar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Configures a {@link RadarClient}: one method for every setting of the client (the same list,
 * defaults, rules and messages as in every qcc-radar language; the README's settings table),
 * plus {@link #set(String, String)} for settings read from a configuration file.
 *
 * <p>Everything is optional: an unset app key, secret key or base URL falls back to
 * {@code QCC_APP_KEY}, {@code QCC_SECRET_KEY} and {@code QCC_BASE_URL} (default
 * {@code https://pro.qcc.com}), and every other setting has the Rust client's default. Setting
 * a value to null puts it back to that. The builder only records what it is given; the values
 * are checked by {@link #build()}, in the native client, which throws a {@link ErrorKind#CONFIG}
 * {@link QccException} naming the setting as this class spells it ({@code "pollMax must not be
 * smaller than pollInitial"}); nothing is sent before that succeeds.
 *
 * <pre>{@code
 * RadarClient client = RadarClient.builder()
 *         .appKey("...").secretKey("...")
 *         .waitTimeout(Duration.ofMinutes(10))
 *         .onProgress(e -> System.err.println(e))
 *         .build();
 * }</pre>
 */
public final class RadarClientBuilder {
    private final NamedValues settings = new NamedValues();
    private Executor callbackExecutor = ForkJoinPool.commonPool();
    private ProgressListener progressListener;

    RadarClientBuilder() {
    }

    // ---- credentials and where requests go ----

    /**
     * The app key (else {@code QCC_APP_KEY}).
     *
     * @param appKey the app key, or null for the environment
     * @return this builder
     */
    public RadarClientBuilder appKey(String appKey) {
        settings.text("appKey", appKey);
        return this;
    }

    /**
     * The secret key (else {@code QCC_SECRET_KEY}). It is handed to the native client at
     * {@link #build()} and never appears in messages or {@link #toString()}.
     *
     * @param secretKey the secret key, or null for the environment
     * @return this builder
     */
    public RadarClientBuilder secretKey(String secretKey) {
        settings.text("secretKey", secretKey);
        return this;
    }

    /**
     * The base URL (else {@code QCC_BASE_URL}, else {@code https://pro.qcc.com}).
     *
     * @param baseUrl the base URL, or null for the environment
     * @return this builder
     */
    public RadarClientBuilder baseUrl(String baseUrl) {
        settings.text("baseUrl", baseUrl);
        return this;
    }

    // ---- timeouts ----

    /**
     * Time allowed to open a connection (default 10 s); more than 0.
     *
     * @param timeout the timeout, or null for the default
     * @return this builder
     */
    public RadarClientBuilder connectTimeout(Duration timeout) {
        settings.duration("connectTimeout", timeout);
        return this;
    }

    /**
     * Time allowed for one API request, answer included (default 30 s); more than 0.
     *
     * @param timeout the timeout, or null for the default
     * @return this builder
     */
    public RadarClientBuilder requestTimeout(Duration timeout) {
        settings.duration("requestTimeout", timeout);
        return this;
    }

    /**
     * Time a download may go without receiving a byte before it is retried (default 60 s); more
     * than 0.
     *
     * @param timeout the timeout, or null for the default
     * @return this builder
     */
    public RadarClientBuilder readTimeout(Duration timeout) {
        settings.duration("readTimeout", timeout);
        return this;
    }

    /**
     * The default deadline of {@code waitForReport} and {@code fetchReport} (default 30
     * minutes); 0 looks once.
     *
     * @param timeout the deadline, or null for the default
     * @return this builder
     */
    public RadarClientBuilder waitTimeout(Duration timeout) {
        settings.duration("waitTimeout", timeout);
        return this;
    }

    // ---- retries ----

    /**
     * How many times a request that is safe to repeat is tried in all (default 5; 1 turns
     * retries off); at least 1. createReport is never repeated once it may have reached the
     * server, since a second attempt could pay for a second order.
     *
     * @param maxAttempts attempts in all
     * @return this builder
     */
    public RadarClientBuilder maxAttempts(int maxAttempts) {
        settings.number("maxAttempts", maxAttempts);
        return this;
    }

    /**
     * The bound of the first back-off between attempts (default 250 ms). Given alone, a base
     * above the default {@link #retryCap(Duration) retryCap} raises the cap with it.
     *
     * @param base the first delay's bound, or null for the default
     * @return this builder
     */
    public RadarClientBuilder retryBase(Duration base) {
        settings.duration("retryBase", base);
        return this;
    }

    /**
     * The largest back-off bound (default 8 s); not below {@link #retryBase(Duration)
     * retryBase}.
     *
     * @param cap the longest delay's bound, or null for the default
     * @return this builder
     */
    public RadarClientBuilder retryCap(Duration cap) {
        settings.duration("retryCap", cap);
        return this;
    }

    /**
     * The retry back-off, both ends at once: {@link #retryBase(Duration) retryBase} and
     * {@link #retryCap(Duration) retryCap}.
     *
     * @param base the first delay's bound
     * @param cap the longest delay's bound
     * @return this builder
     */
    public RadarClientBuilder retryBackoff(Duration base, Duration cap) {
        return retryBase(Objects.requireNonNull(base, "base")).retryCap(Objects.requireNonNull(cap, "cap"));
    }

    /**
     * The time after which no more retries start, counted from a request's first attempt
     * (default 60 s).
     *
     * @param budget the budget, or null for the default
     * @return this builder
     */
    public RadarClientBuilder retryBudget(Duration budget) {
        settings.duration("retryBudget", budget);
        return this;
    }

    // ---- polling while waiting ----

    /**
     * The first delay between polls of getReportInfo while waiting (default 2 s); more than 0.
     * Given alone, one above the default {@link #pollMax(Duration) pollMax} raises it too.
     *
     * @param initial the first delay, or null for the default
     * @return this builder
     */
    public RadarClientBuilder pollInitial(Duration initial) {
        settings.duration("pollInitial", initial);
        return this;
    }

    /**
     * How much each next poll delay grows (default 1.5); at least 1.
     *
     * @param factor the growth factor
     * @return this builder
     */
    public RadarClientBuilder pollFactor(double factor) {
        settings.number("pollFactor", factor);
        return this;
    }

    /**
     * The largest delay between polls (default 30 s); not below {@link #pollInitial(Duration)
     * pollInitial}. Given alone, one below the default initial delay lowers it too.
     *
     * @param max the longest delay, or null for the default
     * @return this builder
     */
    public RadarClientBuilder pollMax(Duration max) {
        settings.duration("pollMax", max);
        return this;
    }

    /**
     * The share (0 to 1) of each poll delay randomly taken away, so that many clients do not
     * poll in step (default 0.2).
     *
     * @param jitter the jitter, from 0 to 1
     * @return this builder
     */
    public RadarClientBuilder pollJitter(double jitter) {
        settings.number("pollJitter", jitter);
        return this;
    }

    /**
     * The poll schedule at once: {@link #pollInitial(Duration) pollInitial},
     * {@link #pollFactor(double) pollFactor} and {@link #pollMax(Duration) pollMax}.
     *
     * @param initial the first delay
     * @param factor the growth factor, 1 or more
     * @param max the longest delay
     * @return this builder
     */
    public RadarClientBuilder pollSchedule(Duration initial, double factor, Duration max) {
        return pollInitial(Objects.requireNonNull(initial, "initial")).pollFactor(factor)
                .pollMax(Objects.requireNonNull(max, "max"));
    }

    /**
     * Polls at a fixed interval, without back-off or jitter: {@code pollInitial} and
     * {@code pollMax} {@code interval}, {@code pollFactor} 1, {@code pollJitter} 0.
     *
     * @param interval the interval
     * @return this builder
     */
    public RadarClientBuilder pollInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        return pollInitial(interval).pollMax(interval).pollFactor(1.0).pollJitter(0.0);
    }

    // ---- archive limits ----

    /**
     * The most entries extracted from one archive (default 100000); at least 1.
     *
     * @param entries the limit
     * @return this builder
     */
    public RadarClientBuilder maxArchiveEntries(long entries) {
        settings.number("maxArchiveEntries", entries);
        return this;
    }

    /**
     * The largest single entry extracted, in bytes (default 16 GiB); at least 1.
     *
     * @param bytes the limit
     * @return this builder
     */
    public RadarClientBuilder maxArchiveEntryBytes(long bytes) {
        settings.number("maxArchiveEntryBytes", bytes);
        return this;
    }

    /**
     * The largest total extracted from one archive, in bytes (default 64 GiB); at least 1.
     *
     * @param bytes the limit
     * @return this builder
     */
    public RadarClientBuilder maxArchiveBytes(long bytes) {
        settings.number("maxArchiveBytes", bytes);
        return this;
    }

    /**
     * The largest expansion ratio of an entry, or of the archive, above 16 MiB (default 250);
     * at least 1. A zip bomb is refused before a byte is written.
     *
     * @param ratio the limit
     * @return this builder
     */
    public RadarClientBuilder maxArchiveRatio(long ratio) {
        settings.number("maxArchiveRatio", ratio);
        return this;
    }

    /**
     * The password of encrypted report archives, used when getReportInfo's answer carries none
     * (or the one it carries does not open the archive). A secret: never printed; an empty one
     * counts as none.
     *
     * @param password the password, or null for none
     * @return this builder
     */
    public RadarClientBuilder unzipPassword(String password) {
        settings.text("unzipPassword", password);
        return this;
    }

    // ---- the connection ----

    /**
     * Whether to learn the server's clock offset after a 115 answer and retry (default on).
     *
     * @param on true to correct
     * @return this builder
     */
    public RadarClientBuilder clockSkewCorrection(boolean on) {
        settings.flag("clockSkewCorrection", on);
        return this;
    }

    /**
     * An extra PEM file of CA certificates to trust, besides the system's; read by
     * {@link #build()}.
     *
     * @param pemFile the file, or null for none
     * @return this builder
     */
    public RadarClientBuilder caFile(Path pemFile) {
        settings.text("caFile", pemFile == null ? null : pemFile.toAbsolutePath().toString());
        return this;
    }

    /**
     * An HTTP(S) proxy for every request. Without it, {@code HTTPS_PROXY}, {@code HTTP_PROXY},
     * {@code ALL_PROXY} and {@code NO_PROXY} are honoured.
     *
     * @param proxyUrl the proxy URL, or null for the environment
     * @return this builder
     */
    public RadarClientBuilder proxy(String proxyUrl) {
        settings.text("proxy", proxyUrl);
        return this;
    }

    /**
     * Words appended to the user agent, after {@code qcc-radar/<version> java/<Java version>}
     * (such as your application's name).
     *
     * @param suffix the words, or null for none
     * @return this builder
     */
    public RadarClientBuilder userAgentSuffix(String suffix) {
        settings.text("userAgentSuffix", suffix);
        return this;
    }

    // ---- by name ----

    /**
     * Sets a setting by name, as a configuration file has it: the name as the methods of this
     * class spell it ({@code requestTimeout}, {@code maxAttempts}) or the canonical
     * {@code snake_case} one ({@code request_timeout}), and the value as text. Times take a unit
     * ({@code "1500ms"}, {@code "30s"}, {@code "2m"}, {@code "1h"}; a bare number is milliseconds),
     * byte sizes may ({@code "16GiB"}, {@code "10MB"}), flags are {@code true}/{@code false}
     * (or {@code on}/{@code off}, {@code yes}/{@code no}, {@code 1}/{@code 0}). An unknown name
     * or a bad value makes {@link #build()} throw {@link ErrorKind#CONFIG}, naming the setting
     * (an unknown name's message lists them all).
     *
     * <pre>{@code
     * Properties p = ...;   // requestTimeout=45s, maxAttempts=3
     * RadarClientBuilder b = RadarClient.builder();
     * p.forEach((k, v) -> b.set((String) k, (String) v));
     * }</pre>
     *
     * @param name the setting's name
     * @param value its value as text, or null to forget what was given under this name
     * @return this builder
     */
    public RadarClientBuilder set(String name, String value) {
        settings.text(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    // ---- Java's side ----

    /**
     * Where the futures of {@code *Async} calls are completed, and so where their dependent
     * stages ({@code thenApply} …) run, and where the {@linkplain #onProgress(ProgressListener)
     * progress listener} is called (default {@link ForkJoinPool#commonPool()}).
     *
     * @param executor the executor
     * @return this builder
     */
    public RadarClientBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * A listener for the progress of the client's calls: an order placed, each poll while
     * waiting, bytes downloaded, entries extracted (see {@link ProgressEvent}). It is called on
     * the {@linkplain #callbackExecutor(Executor) callback executor}, one event at a time and in
     * order, never on the client's own threads: a slow listener delays later events, not the
     * download. Download and extraction events come at most every 100 ms, plus the first and the
     * last. An exception it throws is logged ({@link System.Logger} {@code com.qccradar}) and
     * does not affect the call.
     *
     * @param listener the listener, or null for none
     * @return this builder
     */
    public RadarClientBuilder onProgress(ProgressListener listener) {
        this.progressListener = listener;
        return this;
    }

    /**
     * Checks the settings and builds the client.
     *
     * @return a new client; close it when done
     * @throws QccException of kind {@link ErrorKind#CONFIG} when a credential is missing or
     *     malformed, the base URL is bad, a setting is unknown or breaks its rule, the CA file
     *     cannot be read or the proxy URL is bad
     */
    public RadarClient build() {
        return new RadarClient(openHandle(), callbackExecutor);
    }

    /** Opens the native client; returns its handle or throws why it cannot. */
    long openHandle() {
        NativeLibrary.ensureLoaded();
        NamedValues s = settings.copy();
        ProgressSink progress = progressListener == null ? null : new ProgressSink(progressListener, callbackExecutor);
        BlockingSink sink = new BlockingSink();
        long handle = RadarClient.guard(() -> NativeBridge.open(s.names(), s.kinds(), s.texts(), s.numbers(),
                "java/" + System.getProperty("java.version"), progress, sink));
        if (handle == 0) {
            sink.get(); // throws the reason
            throw new QccException(ErrorKind.INTERNAL, "the native library returned no client and no error");
        }
        return handle;
    }

    Executor callbackExecutor() {
        return callbackExecutor;
    }

    /** Shows the credentials and base URL given, with the secret key redacted. */
    @Override
    public String toString() {
        return "RadarClientBuilder[appKey=" + settings.lastText("appKey") + ", secretKey="
                + (settings.has("secretKey") ? "<redacted>" : null) + ", baseUrl=" + settings.lastText("baseUrl")
                + "]";
    }
}
