package com.qccradar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Configures a {@link RadarClient}. Everything is optional: an unset app key, secret key or base
 * URL falls back to {@code QCC_APP_KEY}, {@code QCC_SECRET_KEY} and {@code QCC_BASE_URL}
 * (default {@code https://pro.qcc.com}), and every other setting has the Rust client's default.
 * Values are checked by {@link #build()}, which throws a {@link ErrorKind#CONFIG}
 * {@link QccException} naming the problem; nothing is sent before that succeeds.
 *
 * <pre>{@code
 * RadarClient client = RadarClient.builder()
 *         .appKey("...").secretKey("...")
 *         .waitTimeout(Duration.ofMinutes(10))
 *         .build();
 * }</pre>
 */
public final class RadarClientBuilder {
    private String appKey;
    private String secretKey;
    private String baseUrl;
    private long connectTimeoutMs = -1;
    private long requestTimeoutMs = -1;
    private long readTimeoutMs = -1;
    private long waitTimeoutMs = -1;
    private long pollInitialMs = -1;
    private double pollFactor = Double.NaN;
    private long pollMaxMs = -1;
    private double pollJitter = Double.NaN;
    private int retryMaxAttempts = -1;
    private long retryBaseMs = -1;
    private long retryCapMs = -1;
    private long retryMaxElapsedMs = -1;
    private int clockSkewCorrection = -1;
    private String caFile;
    private String proxy;
    private Executor callbackExecutor = ForkJoinPool.commonPool();

    RadarClientBuilder() {
    }

    /**
     * The app key (else {@code QCC_APP_KEY}).
     *
     * @param appKey the app key, or null for the environment
     * @return this builder
     */
    public RadarClientBuilder appKey(String appKey) {
        this.appKey = appKey;
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
        this.secretKey = secretKey;
        return this;
    }

    /**
     * The base URL (else {@code QCC_BASE_URL}, else {@code https://pro.qcc.com}).
     *
     * @param baseUrl the base URL, or null for the environment
     * @return this builder
     */
    public RadarClientBuilder baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
        return this;
    }

    /**
     * Time allowed to open a connection (default 10 s).
     *
     * @param timeout the timeout, or null for the default
     * @return this builder
     */
    public RadarClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeoutMs = millis(timeout, "the connect timeout");
        return this;
    }

    /**
     * Time allowed for one API request, answer included (default 30 s).
     *
     * @param timeout the timeout, or null for the default
     * @return this builder
     */
    public RadarClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeoutMs = millis(timeout, "the request timeout");
        return this;
    }

    /**
     * Time a download may go without receiving a byte before it is retried (default 60 s).
     *
     * @param timeout the timeout, or null for the default
     * @return this builder
     */
    public RadarClientBuilder readTimeout(Duration timeout) {
        this.readTimeoutMs = millis(timeout, "the read timeout");
        return this;
    }

    /**
     * The default deadline of {@code waitForReport} and {@code fetchReport} (default 30 minutes).
     *
     * @param timeout the deadline, or null for the default
     * @return this builder
     */
    public RadarClientBuilder waitTimeout(Duration timeout) {
        this.waitTimeoutMs = millis(timeout, "the wait timeout");
        return this;
    }

    /**
     * Polls getReportInfo at a fixed interval, without back-off or jitter, while waiting.
     * The default schedule starts at 2 s and backs off by 1.5× up to 30 s, with 20 % jitter.
     *
     * @param interval the interval
     * @return this builder
     */
    public RadarClientBuilder pollInterval(Duration interval) {
        long ms = millis(Objects.requireNonNull(interval, "interval"), "the poll interval");
        this.pollInitialMs = ms;
        this.pollMaxMs = ms;
        this.pollFactor = 1.0;
        this.pollJitter = 0.0;
        return this;
    }

    /**
     * The poll schedule while waiting: the first interval, the factor each next one grows by
     * (at least 1) and the longest interval.
     *
     * @param initial the first interval
     * @param factor the growth factor, 1 or more
     * @param max the longest interval
     * @return this builder
     */
    public RadarClientBuilder pollSchedule(Duration initial, double factor, Duration max) {
        this.pollInitialMs = millis(Objects.requireNonNull(initial, "initial"), "the first poll interval");
        this.pollFactor = factor;
        this.pollMaxMs = millis(Objects.requireNonNull(max, "max"), "the longest poll interval");
        return this;
    }

    /**
     * The share (0 to 1) by which each poll interval is randomly shortened, so that many
     * clients do not poll in step (default 0.2).
     *
     * @param jitter the jitter, from 0 to 1
     * @return this builder
     */
    public RadarClientBuilder pollJitter(double jitter) {
        this.pollJitter = jitter;
        return this;
    }

    /**
     * How many times a request that is safe to repeat is tried in all (default 5; 1 turns
     * retries off). createReport is never repeated once it may have reached the server, since a
     * second attempt could pay for a second order.
     *
     * @param maxAttempts attempts in all, at least 1
     * @return this builder
     */
    public RadarClientBuilder maxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new QccException(ErrorKind.CONFIG, "the number of attempts must be at least 1, got " + maxAttempts);
        }
        this.retryMaxAttempts = maxAttempts;
        return this;
    }

    /**
     * The retry back-off: the first delay and the longest (defaults 250 ms and 8 s).
     *
     * @param base the first delay
     * @param cap the longest delay
     * @return this builder
     */
    public RadarClientBuilder retryBackoff(Duration base, Duration cap) {
        this.retryBaseMs = millis(Objects.requireNonNull(base, "base"), "the first retry delay");
        this.retryCapMs = millis(Objects.requireNonNull(cap, "cap"), "the longest retry delay");
        return this;
    }

    /**
     * The time after which no more retries start (default 60 s).
     *
     * @param budget the budget
     * @return this builder
     */
    public RadarClientBuilder retryBudget(Duration budget) {
        this.retryMaxElapsedMs = millis(Objects.requireNonNull(budget, "budget"), "the retry time budget");
        return this;
    }

    /**
     * Whether to learn the server's clock offset after a 115 answer and retry (default on).
     *
     * @param on true to correct
     * @return this builder
     */
    public RadarClientBuilder clockSkewCorrection(boolean on) {
        this.clockSkewCorrection = on ? 1 : 0;
        return this;
    }

    /**
     * An extra PEM file of CA certificates to trust, besides the system's.
     *
     * @param pemFile the file, or null for none
     * @return this builder
     */
    public RadarClientBuilder caFile(Path pemFile) {
        this.caFile = pemFile == null ? null : pemFile.toAbsolutePath().toString();
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
        this.proxy = proxyUrl;
        return this;
    }

    /**
     * Where the futures of {@code *Async} calls are completed, and so where their dependent
     * stages ({@code thenApply} …) run (default {@link ForkJoinPool#commonPool()}).
     *
     * @param executor the executor
     * @return this builder
     */
    public RadarClientBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Validates the settings and builds the client.
     *
     * @return a new client; close it when done
     * @throws QccException of kind {@link ErrorKind#CONFIG} when a credential is missing or
     *     malformed, the base URL is bad, the CA file cannot be read or the proxy URL is bad
     */
    public RadarClient build() {
        return new RadarClient(openHandle(), callbackExecutor);
    }

    /** Opens the native client; returns its handle or throws why it cannot. */
    long openHandle() {
        NativeLibrary.ensureLoaded();
        BlockingSink sink = new BlockingSink();
        long handle = RadarClient.guard(() -> NativeBridge.open(appKey, secretKey, baseUrl, connectTimeoutMs,
                requestTimeoutMs, readTimeoutMs, waitTimeoutMs, pollInitialMs, pollFactor, pollMaxMs, pollJitter,
                retryMaxAttempts, retryBaseMs, retryCapMs, retryMaxElapsedMs, clockSkewCorrection, caFile, proxy,
                "java/" + System.getProperty("java.version"), sink));
        if (handle == 0) {
            sink.get(); // throws the reason
            throw new QccException(ErrorKind.INTERNAL, "the native library returned no client and no error");
        }
        return handle;
    }

    Executor callbackExecutor() {
        return callbackExecutor;
    }

    private static long millis(Duration d, String what) {
        if (d == null) {
            return -1;
        }
        if (d.isNegative()) {
            throw new QccException(ErrorKind.CONFIG, what + " must not be negative, got " + d);
        }
        try {
            return d.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Shows what is set, with the secret key redacted. */
    @Override
    public String toString() {
        return "RadarClientBuilder[appKey=" + appKey + ", secretKey=" + (secretKey == null ? null : "<redacted>")
                + ", baseUrl=" + baseUrl + "]";
    }
}
