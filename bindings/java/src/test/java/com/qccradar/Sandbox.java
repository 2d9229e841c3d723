package com.qccradar;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The QCC API emulator, run as {@code qcc-radar sandbox --scenario NAME} in its own process: its
 * first stdout line is JSON with {@code base_url}, {@code app_key} and {@code secret_key}, then
 * it serves until it is stopped.
 *
 * <p>The binary is the system property {@code qcc.radar.bin} (set by the pom to the workspace's
 * {@code target/debug/qcc-radar}), else the environment variable {@code QCC_RADAR_BIN}. Its
 * stderr goes to {@code target/sandbox-logs/NAME-N.log} for when a test fails.
 */
final class Sandbox implements AutoCloseable {
    private static int started;

    final String scenario;
    final String baseUrl;
    final String appKey;
    final String secretKey;
    private final Process process;

    private Sandbox(String scenario, Process process, JsonObject first) {
        this.scenario = scenario;
        this.process = process;
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
            ProcessBuilder pb = new ProcessBuilder(List.of(bin, "sandbox", "--scenario", scenario))
                    .redirectError(logs.resolve(scenario + "-" + n + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            Process process = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String line;
            try {
                line = firstLine.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("the sandbox did not print its first line within 60 s", e);
            }
            if (line == null) {
                process.destroyForcibly();
                throw new IllegalStateException("the sandbox exited before printing its first line; see " + logs);
            }
            drain(process.getInputStream());
            return new Sandbox(scenario, process, JsonParser.parseString(line).getAsJsonObject());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + bin, e);
        }
    }

    private static void drain(InputStream in) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // discard: only the first line matters
                }
            } catch (IOException ignored) {
                // the process ended
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

    @Override
    public void close() {
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
