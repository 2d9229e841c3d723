package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour suite every binding runs: the sandbox's scenarios, through the blocking API.
 */
class BehaviourTest {
    @TempDir
    Path out;

    private static List<Path> listTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    /** The files under {@code dir} besides the order ledger and its lock, which fetchReport keeps. */
    private static List<Path> reportFiles(Path dir) throws IOException {
        return listTree(dir).stream().filter(p -> !LedgerTest.BOOKKEEPING.contains(p.getFileName().toString()))
                .collect(Collectors.toList());
    }

    private static void assertReportOnDisk(Report report, Path outDir, ReportType type) {
        assertTrue(report.orderNo().startsWith("JK"), report.orderNo());
        assertEquals(type, report.reportType());
        assertEquals(outDir.resolve(report.orderNo() + ".zip"), report.archive());
        assertEquals(outDir.resolve(report.orderNo()), report.folder());
        assertTrue(Files.isRegularFile(report.archive()), "the archive is kept");
        assertFalse(report.files().isEmpty(), "the report has files");
        for (Path f : report.files()) {
            assertTrue(f.startsWith(report.folder()), f + " is inside " + report.folder());
            assertTrue(Files.isRegularFile(f), f + " exists");
        }
    }

    @Test
    void normalFetchDownloadsAndExtractsTheReport() throws IOException {
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            Report report = client.fetchReport(ReportType.DAY, out).orElseThrow();
            assertReportOnDisk(report, out, ReportType.DAY);
            assertTrue(report.orderNo().startsWith("JKDAY"), report.orderNo());
            // The vendor stores names in GBK: they must come out as the Chinese names they are.
            assertTrue(report.files().stream().anyMatch(f -> f.toString().contains("风险")),
                    "GBK names decoded: " + report.files());
            assertEquals(report.files(), listTree(report.folder()));
        }
    }

    @Test
    void stepByStepOrderWaitDownload() {
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            String order = client.createReport(ReportType.WEEK).orElseThrow();
            assertTrue(order.startsWith("JKWEEK"), order);

            ReportInfo first = client.reportInfo(order);
            assertEquals(ReportStatus.PENDING, first.status());
            assertNull(first.url());
            assertNull(first.expiresAt());

            ReportInfo ready = client.waitForReport(order, Duration.ofSeconds(20));
            assertEquals(ReportStatus.SUCCEEDED, ready.status());
            assertNotNull(ready.url());
            assertTrue(ready.url().contains("Expires="), "the full link: " + ready.url().length() + " chars");
            assertNotNull(ready.expiresAt());
            assertTrue(ready.expiresAt().isAfter(Instant.now()), "the link is fresh");
            // The link is a bearer credential: toString shows it without its query.
            String shown = ready.toString();
            assertFalse(shown.contains("Signature"), shown);
            assertFalse(shown.contains("Expires="), shown);
            assertTrue(shown.contains("SUCCEEDED"), shown);

            Report report = client.downloadReport(order, out);
            assertEquals(order, report.orderNo());
            assertReportOnDisk(report, out, ReportType.WEEK);
        }
    }

    @Test
    void hugeDeadlinesAreJustLong() {
        try (Sandbox sb = Sandbox.start("normal");
                RadarClient client = sb.builder().waitTimeout(Duration.ofSeconds(Long.MAX_VALUE)).build()) {
            String order = client.createReport(ReportType.DAY).orElseThrow();
            assertEquals(ReportStatus.SUCCEEDED, client.waitForReport(order, Duration.ofDays(365L * 1_000_000)).status());
            assertEquals(ReportStatus.SUCCEEDED, client.waitForReport(order).status());
            assertTrue(client.fetchReport(ReportType.DAY, out, Duration.ofSeconds(Long.MAX_VALUE)).isPresent());
        }
    }

    @Test
    void reportTypeByNameIsCaseInsensitive() {
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            assertTrue(client.createReport(" Month ").orElseThrow().startsWith("JKMONTH"));
        }
    }

    @Test
    void noChangeIsEmptyNotAnError() throws IOException {
        try (Sandbox sb = Sandbox.start("no_change"); RadarClient client = sb.client()) {
            assertEquals(Optional.empty(), client.createReport(ReportType.DAY));
            assertEquals(Optional.empty(), client.fetchReport(ReportType.DAY, out));
            assertEquals(List.of(), reportFiles(out), "nothing written but the ledger");
        }
    }

    @Test
    void quotaCarriesTheCodeAndTheServersMessage() {
        try (Sandbox sb = Sandbox.start("quota"); RadarClient client = sb.client()) {
            QccException e = Expect.kind(ErrorKind.QUOTA, () -> client.createReport(ReportType.DAY));
            assertEquals(112, e.getCode());
            assertNotNull(e.getServerMessage());
            assertTrue(e.getMessage().contains("112"), e.getMessage());
            Expect.noSecret(e, sb.secretKey);
        }
    }

    @Test
    void badCredentialsIsAuth() {
        try (Sandbox sb = Sandbox.start("bad_credentials"); RadarClient client = sb.client()) {
            QccException e = Expect.kind(ErrorKind.AUTH, () -> client.fetchReport(ReportType.DAY, out));
            assertEquals(107, e.getCode());
            Expect.noSecret(e, sb.secretKey);
        }
    }

    @Test
    void failedGenerationIsReportFailed() {
        try (Sandbox sb = Sandbox.start("fail"); RadarClient client = sb.client()) {
            Expect.kind(ErrorKind.REPORT_FAILED, () -> client.fetchReport(ReportType.DAY, out));
            String order = client.createReport(ReportType.DAY).orElseThrow();
            Expect.kind(ErrorKind.REPORT_FAILED, () -> client.waitForReport(order));
        }
    }

    @Test
    void slowReportWithAShortDeadlineTimesOut() {
        try (Sandbox sb = Sandbox.start("slow"); RadarClient client = sb.client()) {
            String order = client.createReport(ReportType.DAY).orElseThrow();
            long start = System.nanoTime();
            Expect.kind(ErrorKind.TIMEOUT, () -> client.waitForReport(order, Duration.ofMillis(300)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(250)) >= 0, "waited until the deadline: " + took);
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "stopped at the deadline: " + took);
            Expect.kind(ErrorKind.TIMEOUT, () -> client.fetchReport(ReportType.DAY, out, Duration.ofMillis(200)));
        }
    }

    @Test
    void unreachableServerIsTransport() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (RadarClient client = RadarClient.builder()
                .appKey("key").secretKey("secret").baseUrl("http://127.0.0.1:" + port)
                .maxAttempts(2).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .build()) {
            QccException e = Expect.kind(ErrorKind.TRANSPORT, () -> client.reportInfo("JKDAY-1"));
            assertNull(e.getCode());
            Expect.kind(ErrorKind.TRANSPORT, () -> client.createReport(ReportType.DAY));
        }
    }

    @Test
    void unknownOrderIsInvalidRequest() {
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            QccException e = Expect.kind(ErrorKind.INVALID_REQUEST, () -> client.reportInfo("JKDAY-999999"));
            assertEquals(201, e.getCode());
        }
    }

    @Test
    void unsafeArchiveIsRefusedAndLeavesNothing() throws IOException {
        Path target = out.resolve("reports");
        try (Sandbox sb = Sandbox.start("unsafe_archive"); RadarClient client = sb.client()) {
            Expect.kind(ErrorKind.ARCHIVE, () -> client.fetchReport(ReportType.DAY, target));
        }
        assertEquals(List.of(), reportFiles(out), "nothing escaped and nothing was kept");
    }

    @Test
    void zipBombIsRefused() throws IOException {
        try (Sandbox sb = Sandbox.start("zip_bomb"); RadarClient client = sb.client()) {
            Expect.kind(ErrorKind.ARCHIVE, () -> client.fetchReport(ReportType.DAY, out));
        }
        assertEquals(List.of(), reportFiles(out));
    }

    @Test
    void flakyServerAndCutDownloadAreRetried() {
        try (Sandbox sb = Sandbox.start("flaky"); RadarClient client = sb.client()) {
            assertReportOnDisk(client.fetchReport(ReportType.DAY, out).orElseThrow(), out, ReportType.DAY);
        }
    }

    @Test
    void expiredLinkIsRefreshed() {
        try (Sandbox sb = Sandbox.start("expired_link"); RadarClient client = sb.client()) {
            assertReportOnDisk(client.fetchReport(ReportType.DAY, out).orElseThrow(), out, ReportType.DAY);
        }
    }

    @Test
    void clockSkewIsCorrected() {
        try (Sandbox sb = Sandbox.start("clock_skew"); RadarClient client = sb.client()) {
            assertReportOnDisk(client.fetchReport(ReportType.DAY, out).orElseThrow(), out, ReportType.DAY);
        }
    }

    @Test
    void clockSkewWithoutCorrectionIsAuth() {
        try (Sandbox sb = Sandbox.start("clock_skew");
                RadarClient client = sb.builder().clockSkewCorrection(false).build()) {
            assertEquals(115, Expect.kind(ErrorKind.AUTH, () -> client.createReport(ReportType.DAY)).getCode());
        }
    }
}
