package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad configuration and bad arguments are {@link ErrorKind#CONFIG} errors that name the fix,
 * raised before anything is sent. The pom runs the tests with {@code QCC_APP_KEY},
 * {@code QCC_SECRET_KEY} and {@code QCC_BASE_URL} set empty (which counts as unset).
 */
class ConfigTest {
    private static final String SECRET = "s3cr3t-never-shown-0123456789";
    private static Sandbox sandbox;
    private static RadarClient client;

    @TempDir
    Path out;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start("normal");
        client = sandbox.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @Test
    void missingCredentialsNameTheEnvironmentVariables() {
        QccException e = Expect.kind(ErrorKind.CONFIG, () -> new RadarClient(null, null, null));
        assertTrue(e.getMessage().contains("QCC_APP_KEY"), e.getMessage());
        e = Expect.kind(ErrorKind.CONFIG, () -> new RadarClient("key", null, "http://127.0.0.1:9"));
        assertTrue(e.getMessage().contains("QCC_SECRET_KEY"), e.getMessage());
        assertNull(e.getCode());
    }

    @Test
    void badBaseUrlIsConfigAndNeverShowsTheSecret() {
        for (String url : new String[] {"not a url", "ftp://example.com", ""}) {
            QccException e = Expect.kind(ErrorKind.CONFIG, () -> new RadarClient("key", SECRET, url));
            Expect.noSecret(e, SECRET);
        }
        RadarClientBuilder b = RadarClient.builder().appKey("key").secretKey(SECRET);
        assertFalse(b.toString().contains(SECRET), b.toString());
    }

    @Test
    void badSettingsAreConfig() {
        // The builder only records; build() checks, in the native client, naming the setting.
        QccException e = Expect.kind(ErrorKind.CONFIG,
                () -> sandbox.builder().waitTimeout(Duration.ofSeconds(-1)).build());
        assertEquals("waitTimeout must be a finite duration of 0 or more", e.getMessage());
        e = Expect.kind(ErrorKind.CONFIG, () -> sandbox.builder().maxAttempts(0).build());
        assertEquals("maxAttempts must be at least 1 (1 means no retries)", e.getMessage());
        e = Expect.kind(ErrorKind.CONFIG,
                () -> sandbox.builder().pollInitial(Duration.ofSeconds(5)).pollMax(Duration.ofSeconds(1)).build());
        assertEquals("pollMax must not be smaller than pollInitial", e.getMessage());
        Expect.kind(ErrorKind.CONFIG, () -> sandbox.builder().pollJitter(2.0).build());
        Expect.kind(ErrorKind.CONFIG,
                () -> sandbox.builder().pollSchedule(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)).build());
        Expect.kind(ErrorKind.CONFIG, () -> sandbox.builder().caFile(Path.of("/nonexistent/ca.pem")).build());
        Expect.kind(ErrorKind.CONFIG, () -> sandbox.builder().proxy("::not a proxy::").build());
    }

    @Test
    void badReportTypeIsConfig() {
        QccException e = Expect.kind(ErrorKind.CONFIG, () -> client.createReport("year"));
        assertTrue(e.getMessage().contains("day, week, month"), e.getMessage());
        Expect.kind(ErrorKind.CONFIG, () -> client.createReport((ReportType) null));
        Expect.kind(ErrorKind.CONFIG, () -> client.createReport((String) null));
        Expect.kind(ErrorKind.CONFIG, () -> client.fetchReport((ReportType) null, out));
        Expect.kind(ErrorKind.CONFIG, () -> client.fetchReport((String) null, out));
        QccException year = Expect.kind(ErrorKind.CONFIG, () -> client.fetchReport("year", out));
        assertTrue(year.getMessage().contains("day, week, month"), year.getMessage());
        Expect.failed(ErrorKind.CONFIG, client.fetchReportAsync("year", out));
    }

    @Test
    void badOrderNumbersAreConfig() {
        for (String order : new String[] {"../etc/passwd", "", "JKDAY 1", "a/b", ".."}) {
            Expect.kind(ErrorKind.CONFIG, () -> client.reportInfo(order));
        }
        Expect.kind(ErrorKind.CONFIG, () -> client.reportInfo(null));
        QccException e = Expect.kind(ErrorKind.CONFIG, () -> client.waitForReport("JKDAY-1", Duration.ofMillis(-5)));
        assertEquals("timeout must be a finite duration of 0 or more", e.getMessage());
        Expect.failed(ErrorKind.CONFIG, client.waitForReportAsync("JKDAY-1", Duration.ofMillis(-5)));
    }

    @Test
    void badOutputFoldersAreConfig() throws Exception {
        String order = client.createReport(ReportType.DAY).orElseThrow();
        client.waitForReport(order);
        Expect.kind(ErrorKind.CONFIG, () -> client.downloadReport(order, null));
        Path file = Files.writeString(out.resolve("a-file"), "x");
        Expect.kind(ErrorKind.CONFIG, () -> client.downloadReport(order, file));
        Expect.kind(ErrorKind.CONFIG, () -> client.fetchReport(ReportType.DAY, file));
        assertEquals("x", Files.readString(file), "the file is untouched");
    }

    @Test
    void signRejectsNullKeysAndNegativeTimespans() {
        Expect.kind(ErrorKind.CONFIG, () -> RadarClient.sign(null, 1, "s"));
        Expect.kind(ErrorKind.CONFIG, () -> RadarClient.sign("k", 1, null));
        Expect.kind(ErrorKind.CONFIG, () -> RadarClient.sign("k", -1, "s"));
    }

    @Test
    void clientShowsItsSettingsButNotTheSecret() {
        try (RadarClient c = sandbox.builder().secretKey(sandbox.secretKey).build()) {
            assertEquals(sandbox.baseUrl, c.baseUrl());
            assertEquals(sandbox.appKey, c.appKey());
            assertFalse(c.toString().contains(sandbox.secretKey), c.toString());
            assertTrue(c.toString().contains(sandbox.baseUrl), c.toString());
        }
    }
}
