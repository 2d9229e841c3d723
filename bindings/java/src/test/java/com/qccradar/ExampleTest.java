package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's example in a fresh JVM configured only by the environment, as a user would.
 */
class ExampleTest {
    @TempDir
    Path out;

    private static Process run(Map<String, String> env, Path out, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "com.qccradar.examples.FetchReportExample", out.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void exampleFetchesFromTheEnvironmentsSandbox() throws Exception {
        try (Sandbox sb = Sandbox.start("normal")) {
            Path log = out.resolve("example.log");
            Process p = run(Map.of("QCC_APP_KEY", sb.appKey, "QCC_SECRET_KEY", sb.secretKey,
                    "QCC_BASE_URL", sb.baseUrl), out.resolve("reports"), log);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example finished");
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("day report JKDAY-"), text);
            assertTrue(text.contains(".csv: ") && text.contains(" rows, columns ["), "the day report's tables: " + text);
            assertTrue(text.contains("week report JKWEEK-"), text);
        }
    }

    @Test
    void exampleExitsWithTheKindsCode() throws Exception {
        try (Sandbox sb = Sandbox.start("quota")) {
            Path log = out.resolve("example.log");
            Process p = run(Map.of("QCC_APP_KEY", sb.appKey, "QCC_SECRET_KEY", sb.secretKey,
                    "QCC_BASE_URL", sb.baseUrl), out.resolve("reports"), log);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example finished");
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(3, p.exitValue(), text);
            assertTrue(text.contains("failed (quota, status 112)"), text);
        }
    }
}
