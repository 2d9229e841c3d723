package com.qccradar;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The QCC API emulator, run as {@code qcc-radar sandbox --scenario NAME --until-stdin-closes -q}
 * in its own process: its first stdout line is JSON with {@code base_url}, {@code app_key} and
 * {@code secret_key}, then it serves until it is stopped. {@link #stop()} closes its standard
 * input and reads the last stdout line, its record of what reached it
 * ({@code {"stopped": true, "orders_placed": N, "requests": {…}}}), which is how a test in another
 * process learns how many (billed) orders were placed. {@link #record()} asks for the running
 * record without stopping it (a line on its standard input, answered by one with
 * {@code "stopped": false}), for tests that check the count after each of several steps.
 *
 * <p>The binary is the system property {@code qcc.radar.bin} (set by the pom to the workspace's
 * {@code target/debug/qcc-radar}), else the environment variable {@code QCC_RADAR_BIN}. Its
 * stderr goes to {@code target/sandbox-logs/NAME-N.log} for when a test fails; with {@code -q}
 * it holds errors only. The first stdout line holds the secret key: it is parsed, never
 * printed or written anywhere.
 */
final class Sandbox implements AutoCloseable {
    private static int started;

    final String scenario;
    final String baseUrl;
    final String appKey;
    final String secretKey;
    private final Process process;
    private final Path log;
    /** The stdout lines after the first, as they come; {@link Optional#empty()} once stdout ends. */
    private final BlockingQueue<Optional<String>> rest;
    private boolean stopped;

    /** How to start a sandbox: a scenario and the overrides of its configuration. */
    static final class Options {
        final String scenario;
        private final List<String> args = new ArrayList<>();

        /**
         * A sandbox running {@code scenario} with its default configuration.
         *
         * @param scenario a scenario name ({@code normal}, {@code slow} …)
         */
        Options(String scenario) {
            this.scenario = scenario;
        }

        /** getReportInfo answers P this many times per order before S (or F). */
        Options pollsUntilReady(long n) {
            return flag("--polls-until-ready", Long.toString(n));
        }

        /** {@code slow}: how long after an order it becomes ready. */
        Options slowReadyAfter(Duration d) {
            return flag("--slow-ready-after", seconds(d));
        }

        /** How long a download link stays valid. */
        Options linkTtl(Duration d) {
            return flag("--link-ttl", seconds(d));
        }

        /** {@code large}: the archive's size in bytes. */
        Options largeBytes(long n) {
            return flag("--large-bytes", Long.toString(n));
        }

        /** The file holding the secret key the sandbox expects clients to sign with. */
        Options expectedSecretKeyFile(Path file) {
            return flag("--expected-secret-key-file", file.toAbsolutePath().toString());
        }

        private Options flag(String name, String value) {
            args.add(name);
            args.add(value);
            return this;
        }

        /** Seconds, with a fraction where needed ({@code 0.5}): the sandbox's SECS flags take that. */
        private static String seconds(Duration d) {
            return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
        }
    }

    private Sandbox(String scenario, Process process, Path log, JsonObject first,
            BlockingQueue<Optional<String>> rest) {
        this.scenario = scenario;
        this.process = process;
        this.log = log;
        this.rest = rest;
        this.baseUrl = first.get("base_url").getAsString();
        this.appKey = first.get("app_key").getAsString();
        this.secretKey = first.get("secret_key").getAsString();
    }

    /** The sandbox binary. */
    static String binary() {
        String bin = System.getProperty("qcc.radar.bin");
        if (bin == null || bin.isBlank()) {
            bin = System.getenv("QCC_RADAR_BIN");
        }
        if (bin == null || bin.isBlank()) {
            throw new IllegalStateException("set -Dqcc.radar.bin or QCC_RADAR_BIN to the qcc-radar binary");
        }
        return bin;
    }

    /** Starts a sandbox running {@code scenario} and waits for its first line. */
    static Sandbox start(String scenario) {
        return start(new Options(scenario));
    }

    /** Starts a sandbox as {@code options} say and waits for its first line. */
    static Sandbox start(Options options) {
        String bin = binary();
        if (!new File(bin).canExecute()) {
            throw new IllegalStateException(bin + " is not an executable; build it with `cargo build -p qcc-radar-cli`");
        }
        Path logs = Path.of("target", "sandbox-logs");
        try {
            Files.createDirectories(logs);
            int n;
            synchronized (Sandbox.class) {
                n = ++started;
            }
            List<String> command = new ArrayList<>(List.of(bin, "sandbox", "--scenario", options.scenario,
                    "--until-stdin-closes", "-q"));
            command.addAll(options.args);
            Path log = logs.resolve(options.scenario + "-" + n + ".log");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectError(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            // RUST_LOG would override -q: the leak scan sets it for the binding under test, not
            // for the emulator, whose logs may quote the key it expects.
            pb.environment().remove("RUST_LOG");
            Process process = pb.start();
            CompletableFuture<String> firstLine = new CompletableFuture<>();
            BlockingQueue<Optional<String>> rest = new LinkedBlockingQueue<>();
            read(process, firstLine, rest);
            String line;
            try {
                line = firstLine.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("the sandbox did not print its first line within 60 s", e);
            }
            if (line == null) {
                process.destroyForcibly();
                throw new IllegalStateException("the sandbox exited before printing its first line; see " + log);
            }
            return new Sandbox(options.scenario, process, log, JsonParser.parseString(line).getAsJsonObject(), rest);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + bin, e);
        }
    }

    /**
     * Reads the sandbox's stdout on a daemon thread, to the end, so that it never blocks on a
     * full pipe: the first line (null if there was none), then every later line as it comes,
     * and an empty value at the end.
     */
    private static void read(Process process, CompletableFuture<String> first, BlockingQueue<Optional<String>> rest) {
        Thread t = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                first.complete(out.readLine());
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    rest.add(Optional.of(line));
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                first.complete(null);
                rest.add(Optional.empty());
            }
        }, "sandbox-stdout");
        t.setDaemon(true);
        t.start();
    }

    /** A builder for this sandbox, with fast polls and a short retry budget so tests are quick. */
    RadarClientBuilder builder() {
        return RadarClient.builder()
                .appKey(appKey)
                .secretKey(secretKey)
                .baseUrl(baseUrl)
                .pollInterval(Duration.ofMillis(50))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .waitTimeout(Duration.ofSeconds(30));
    }

    /** A client for this sandbox. */
    RadarClient client() {
        return builder().build();
    }

    /**
     * What reached the sandbox, from its last stdout line.
     *
     * @param ordersPlaced the orders placed (createReport answered with an order number)
     * @param requests requests per endpoint: {@code createReport}, {@code getReportInfo},
     *     {@code download}, {@code other}
     */
    record Record(long ordersPlaced, JsonObject requests) {
    }

    /** Parses a record line; {@code stopped} is the value it must say. */
    private Record parseRecord(String line, boolean stopped) {
        JsonElement parsed = line == null || line.isBlank() ? null : JsonParser.parseString(line);
        if (parsed == null || !parsed.isJsonObject() || !parsed.getAsJsonObject().has("stopped")
                || parsed.getAsJsonObject().get("stopped").getAsBoolean() != stopped) {
            throw new IllegalStateException("the sandbox's stdout line is not its record (stopped: " + stopped + "): "
                    + line + "; see " + log);
        }
        JsonObject record = parsed.getAsJsonObject();
        return new Record(record.get("orders_placed").getAsLong(), record.getAsJsonObject("requests"));
    }

    /**
     * What has reached the sandbox so far, without stopping it: writes a line to its standard
     * input and reads the record it answers with.
     *
     * @return the running record
     * @throws IllegalStateException when it is stopped or does not answer within 30 s
     */
    synchronized Record record() {
        if (stopped) {
            throw new IllegalStateException("the sandbox is stopped");
        }
        try {
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.flush();
            Optional<String> line = rest.poll(30, TimeUnit.SECONDS);
            if (line == null || line.isEmpty()) {
                throw new IllegalStateException("the sandbox did not answer with its record; see " + log);
            }
            return parseRecord(line.get(), false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask the sandbox for its record; see " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the sandbox for its record", e);
        }
    }

    /**
     * Stops the sandbox cleanly (closes its standard input), reads stdout to its end and waits
     * for it to exit with status 0.
     *
     * @return its last stdout line, its record
     * @throws IllegalStateException when it does not stop cleanly or prints no record
     */
    synchronized Record stop() {
        if (stopped) {
            throw new IllegalStateException("the sandbox is already stopped");
        }
        stopped = true;
        try {
            process.getOutputStream().close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String last = null;
            while (true) {
                Optional<String> line = rest.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("the sandbox's stdout did not end within 30 s of its stdin closing;"
                            + " see " + log);
                }
                if (line.isEmpty()) {
                    break;
                }
                last = line.get();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the sandbox did not exit within 30 s of its stdin closing");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the sandbox exited with status " + process.exitValue() + "; see " + log);
            }
            return parseRecord(last, true);
        } catch (IOException e) {
            throw new IllegalStateException("the sandbox did not stop cleanly; see " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the sandbox", e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
