package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code QCC_RADAR_LOG}: the Rust core's log lines on the JVM's stderr. The native library
 * chooses its logger once per process, when the first client is built, so each case runs
 * {@link Child} in a fresh JVM with its own environment and reads that JVM's stderr.
 */
class DiagnosticsTest {
    @TempDir
    Path dir;

    /** The child JVM: one fetch from the sandbox the environment names, as a user's program would. */
    public static final class Child {
        private Child() {
        }

        /**
         * Fetches a day report into {@code args[0]} and prints its order number.
         *
         * @param args the output folder
         */
        public static void main(String[] args) {
            try (RadarClient client = RadarClient.builder().pollInterval(Duration.ofMillis(50)).build()) {
                Report r = client.fetchReport(ReportType.DAY, Path.of(args[0])).orElseThrow();
                System.out.println("day report " + r.orderNo());
            }
        }
    }

    /** The child's stdout and stderr, after checking it exited 0. */
    private record Output(String stdout, String stderr) {
    }

    private Output run(Sandbox sb, Map<String, String> logging) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), dir.resolve("reports").toString()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.remove("QCC_RADAR_LOG");
        env.remove("RUST_LOG");
        env.putAll(Map.of("QCC_APP_KEY", sb.appKey, "QCC_SECRET_KEY", sb.secretKey, "QCC_BASE_URL", sb.baseUrl));
        env.putAll(logging);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        Output o = new Output(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue(), o.stdout + o.stderr);
        assertTrue(o.stdout.contains("day report JKDAY-"), o.stdout);
        return o;
    }

    @Test
    void debugLogsOnStderrWithoutTheSecret() throws Exception {
        try (Sandbox sb = Sandbox.start("normal")) {
            Output o = run(sb, Map.of("QCC_RADAR_LOG", "debug"));
            assertFalse(o.stderr.contains(sb.secretKey), o.stderr);
            assertTrue(o.stderr.contains(" DEBUG qcc_radar::stderr_log: diagnostics on stderr binding=\"java\" "),
                    o.stderr);
            assertTrue(Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  INFO qcc_radar::client: "
                    + "report ordered order_no=JKDAY-\\d+ report_type=day$").matcher(o.stderr).find(), o.stderr);
            assertTrue(o.stderr.contains(" DEBUG qcc_radar::transport: sending endpoint=\"createReport\""), o.stderr);
        }
    }

    @Test
    void unsetLogsNothing() throws Exception {
        try (Sandbox sb = Sandbox.start("normal")) {
            Output o = run(sb, Map.of());
            assertFalse(o.stderr.contains("qcc_radar"), o.stderr);
        }
    }
}
