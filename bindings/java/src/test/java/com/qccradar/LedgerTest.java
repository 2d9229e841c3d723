package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order ledger behind {@link RadarClient#fetchReport(ReportType, Path)}, against real
 * sandbox processes: a re-run never pays twice and never skips a real report. The orders each
 * sandbox saw placed (and the createReport requests that reached it) come from its running
 * record ({@link Sandbox#record()}) after a step, and from its last record when it stops.
 */
class LedgerTest {
    /** The ledger and its lock, which fetchReport keeps in the out folder. */
    static final Set<String> BOOKKEEPING = Set.of("qcc-radar-journal.json", ".qcc-radar.lock");

    @TempDir
    Path out;

    private static Set<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static long createReports(Sandbox.Record record) {
        return record.requests().get("createReport").getAsLong();
    }

    @Test
    void reRunInOneFolderReturnsTheSameReportAndPlacesOneOrder() throws Exception {
        try (Sandbox sb = Sandbox.start("normal")) {
            Report first;
            try (RadarClient client = sb.client()) {
                first = client.fetchReport(ReportType.DAY, out).orElseThrow();
                assertEquals(first, client.fetchReport(ReportType.DAY, out).orElseThrow(), "the same report");
                assertEquals(first, client.fetchReport("day", out, FetchOptions.defaults()).orElseThrow());
            }
            // A new client on the same folder, as after a notebook's kernel restarts.
            try (RadarClient again = sb.client()) {
                assertEquals(first, again.fetchReportAsync(ReportType.DAY, out).get(60, TimeUnit.SECONDS).orElseThrow());
            }
            Set<String> want = new TreeSet<>(BOOKKEEPING);
            want.add(first.orderNo());
            want.add(first.orderNo() + ".zip");
            assertEquals(want, names(out), "the report, the ledger and its lock");
            Sandbox.Record record = sb.stop();
            assertEquals(1, record.ordersPlaced(), "one order for four calls");
            assertEquals(1, createReports(record));
            assertEquals(1, record.requests().get("download").getAsLong(), "downloaded once");
        }
    }

    @Test
    void noChangeIsRememberedAndNotAskedAgain() throws Exception {
        try (Sandbox sb = Sandbox.start("no_change"); RadarClient client = sb.client()) {
            assertEquals(Optional.empty(), client.fetchReport(ReportType.WEEK, out));
            assertEquals(Optional.empty(), client.fetchReport(ReportType.WEEK, out));
            Sandbox.Record record = sb.stop();
            assertEquals(0, record.ordersPlaced());
            assertEquals(1, createReports(record), "the second call sends nothing");
        }
    }

    @Test
    void lostAnswerIsUnconfirmedOrderAndNothingMoreIsOrdered() throws Exception {
        try (Sandbox sb = Sandbox.start("lost_answer"); RadarClient client = sb.client()) {
            QccException first = Expect.kind(ErrorKind.UNCONFIRMED_ORDER, () -> client.fetchReport(ReportType.DAY, out));
            assertNull(first.getOrderNo(), "the order number never arrived");
            assertEquals(1, sb.record().ordersPlaced(), "the lost answer's order was placed");
            assertTrue(first.getMessage().contains("new_order") || first.getMessage().contains("new order"),
                    "says how to go on: " + first.getMessage());
            Expect.noSecret(first, sb.secretKey);
            QccException again = Expect.kind(ErrorKind.UNCONFIRMED_ORDER, () -> client.fetchReport(ReportType.DAY, out));
            assertNull(again.getOrderNo());
            Expect.failed(ErrorKind.UNCONFIRMED_ORDER, client.fetchReportAsync(ReportType.DAY, out));
            Set<String> left = names(out);
            left.removeAll(BOOKKEEPING);
            assertEquals(Set.of(), left, "nothing but the ledger");
            Sandbox.Record record = sb.stop();
            assertEquals(1, record.ordersPlaced(), "one order, placed by the first call");
            assertEquals(1, createReports(record), "the re-runs sent nothing");
        }
    }

    @Test
    void newOrderAfterALostAnswerOrdersAgainAndIsRemembered() throws Exception {
        try (Sandbox sb = Sandbox.start("lost_answer"); RadarClient client = sb.client()) {
            Expect.kind(ErrorKind.UNCONFIRMED_ORDER, () -> client.fetchReport(ReportType.DAY, out));
            Expect.kind(ErrorKind.UNCONFIRMED_ORDER, () -> client.fetchReport(ReportType.DAY, out));
            assertEquals(1, sb.record().ordersPlaced(), "the re-run ordered nothing");
            Report report = client.fetchReport(ReportType.DAY, out, FetchOptions.defaults().newOrder(true))
                    .orElseThrow();
            assertTrue(report.orderNo().startsWith("JKDAY"), report.orderNo());
            assertEquals(report, client.fetchReport(ReportType.DAY, out).orElseThrow(),
                    "the ledger recorded the new order: a re-run returns it");
            Sandbox.Record record = sb.stop();
            assertEquals(2, record.ordersPlaced(), "the lost one and the new one");
            assertEquals(2, createReports(record), "the re-runs sent nothing");
        }
    }

    @Test
    void orderNoAfterALostAnswerResumesThatOrder() throws Exception {
        try (Sandbox sb = Sandbox.start("lost_answer"); RadarClient client = sb.client()) {
            Expect.kind(ErrorKind.UNCONFIRMED_ORDER, () -> client.fetchReport(ReportType.DAY, out));
            // The sandbox's record does not list order numbers, so place one of the same type,
            // as the user would find it in QCC's console: fetchReport then takes it as the lost one.
            String order = client.createReport("day").orElseThrow();
            Expect.kind(ErrorKind.CONFIG, () -> client.fetchReport(ReportType.DAY, out,
                    FetchOptions.defaults().orderNo(order).newOrder(true)));
            Expect.kind(ErrorKind.CONFIG, () -> client.fetchReport(ReportType.WEEK, out,
                    FetchOptions.defaults().orderNo(order)));
            Expect.failed(ErrorKind.CONFIG, client.fetchReportAsync("day", out,
                    FetchOptions.defaults().orderNo("not an order")));
            Report report = client.fetchReport(ReportType.DAY, out, FetchOptions.defaults().orderNo(order))
                    .orElseThrow();
            assertEquals(order, report.orderNo());
            assertTrue(Files.isDirectory(report.folder()), report.folder().toString());
            assertEquals(report, client.fetchReport(ReportType.DAY, out).orElseThrow(),
                    "the ledger recorded the order: a plain re-run returns it");
            assertEquals(report, client.fetchReportAsync(ReportType.DAY, out, FetchOptions.defaults().orderNo(order))
                    .get(60, TimeUnit.SECONDS).orElseThrow(), "giving it again returns it too");
            Sandbox.Record record = sb.stop();
            assertEquals(2, record.ordersPlaced(), "the lost one and the one placed by hand");
            assertEquals(2, createReports(record), "fetchReport ordered nothing");
        }
    }

    @Test
    void createReportThatHangsUntilTheRequestTimeoutIsUnconfirmedOrder() throws Exception {
        try (Sandbox sb = Sandbox.start("create_hangs");
                RadarClient client = sb.builder().requestTimeout(Duration.ofSeconds(1)).build()) {
            QccException e = Expect.kind(ErrorKind.UNCONFIRMED_ORDER, () -> client.fetchReport(ReportType.DAY, out));
            assertNull(e.getOrderNo());
            Expect.kind(ErrorKind.UNCONFIRMED_ORDER, () -> client.fetchReport(ReportType.DAY, out));
            Report report = client.fetchReportAsync(ReportType.DAY, out, FetchOptions.defaults().newOrder(true))
                    .get(60, TimeUnit.SECONDS).orElseThrow();
            assertTrue(report.orderNo().startsWith("JKDAY"), report.orderNo());
            Sandbox.Record record = sb.stop();
            assertEquals(2, record.ordersPlaced(), "the hung one and the new one");
            assertEquals(2, createReports(record), "the re-run sent nothing");
        }
    }

    @Test
    void corruptLedgerIsIoAndNothingIsSent() throws Exception {
        Files.createDirectories(out);
        Path ledger = out.resolve("qcc-radar-journal.json");
        byte[] corrupt = "{ not json".getBytes(StandardCharsets.UTF_8);
        Files.write(ledger, corrupt);
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            QccException e = Expect.kind(ErrorKind.IO, () -> client.fetchReport(ReportType.DAY, out));
            assertNull(e.getOrderNo());
            assertNull(e.getCode());
            assertTrue(e.getMessage().contains(ledger.toString()), "names the ledger: " + e.getMessage());
            Expect.failed(ErrorKind.IO, client.fetchReportAsync(ReportType.DAY, out, FetchOptions.defaults()));
            assertArrayEquals(corrupt, Files.readAllBytes(ledger), "the ledger is left as it was");
            Sandbox.Record record = sb.stop();
            assertEquals(0, record.ordersPlaced());
            assertEquals(0, createReports(record), "nothing sent");
        }
    }

    @Test
    void timedOutWaitCarriesTheOrderNumberAndTheReRunResumesIt() throws Exception {
        Sandbox.Options slow = new Sandbox.Options("slow").slowReadyAfter(Duration.ofSeconds(2));
        try (Sandbox sb = Sandbox.start(slow); RadarClient client = sb.client()) {
            QccException e = Expect.kind(ErrorKind.TIMEOUT,
                    () -> client.fetchReport(ReportType.DAY, out, Duration.ofMillis(200)));
            String order = e.getOrderNo();
            assertNotNull(order, "the paid order survives as a field: " + e);
            assertTrue(order.startsWith("JKDAY"), order);
            assertEquals(order, Expect.kind(ErrorKind.TIMEOUT,
                    () -> client.waitForReport(order, Duration.ofMillis(100))).getOrderNo(), "waitForReport too");
            Report report = client.fetchReport(ReportType.DAY, out, FetchOptions.defaults().timeout(Duration.ofSeconds(30)))
                    .orElseThrow();
            assertEquals(order, report.orderNo(), "the re-run resumed the order");
            assertEquals(1, sb.record().ordersPlaced());
            Sandbox.Record record = sb.stop();
            assertEquals(1, record.ordersPlaced());
            assertEquals(1, createReports(record));
        }
    }

    @Test
    void failedTwiceThenReportFailedWithoutAThirdOrder() throws Exception {
        try (Sandbox sb = Sandbox.start("fail"); RadarClient client = sb.client()) {
            String first = Expect.kind(ErrorKind.REPORT_FAILED, () -> client.fetchReport(ReportType.DAY, out))
                    .getOrderNo();
            assertNotNull(first);
            String second = Expect.kind(ErrorKind.REPORT_FAILED, () -> client.fetchReport(ReportType.DAY, out))
                    .getOrderNo();
            assertNotNull(second);
            assertNotEquals(first, second, "a failed period is ordered once more");
            assertEquals(2, sb.record().ordersPlaced());
            QccException third = Expect.kind(ErrorKind.REPORT_FAILED, () -> client.fetchReport(ReportType.DAY, out));
            assertEquals(second, third.getOrderNo(), "the last failed order");
            Sandbox.Record record = sb.stop();
            assertEquals(2, record.ordersPlaced(), "no third order");
            assertEquals(2, createReports(record));
        }
    }

    @Test
    void newOrderOrdersEvenAfterTwoFailures() throws Exception {
        try (Sandbox sb = Sandbox.start("fail"); RadarClient client = sb.client()) {
            Expect.kind(ErrorKind.REPORT_FAILED, () -> client.fetchReport(ReportType.DAY, out));
            Expect.kind(ErrorKind.REPORT_FAILED, () -> client.fetchReport(ReportType.DAY, out));
            Expect.kind(ErrorKind.REPORT_FAILED, () -> client.fetchReport(ReportType.DAY, out));
            assertEquals(2, sb.record().ordersPlaced(), "two failures, then nothing more by itself");
            QccException anyway = Expect.kind(ErrorKind.REPORT_FAILED,
                    () -> client.fetchReport("day", out, FetchOptions.defaults().newOrder(true)));
            assertNotNull(anyway.getOrderNo());
            Sandbox.Record record = sb.stop();
            assertEquals(3, record.ordersPlaced());
        }
    }

    @Test
    void twoServersShareAFolderWithoutCrossTalk() throws Exception {
        try (Sandbox a = Sandbox.start("normal"); Sandbox b = Sandbox.start("normal");
                RadarClient ca = a.client(); RadarClient cb = b.client()) {
            Report ra = ca.fetchReport(ReportType.DAY, out).orElseThrow();
            Report rb = cb.fetchReport(ReportType.DAY, out).orElseThrow();
            assertEquals(ra, ca.fetchReport(ReportType.DAY, out).orElseThrow());
            assertEquals(rb, cb.fetchReport(ReportType.DAY, out).orElseThrow());
            assertEquals(1, a.stop().ordersPlaced(), "one order on the first server");
            assertEquals(1, b.stop().ordersPlaced(), "one order on the second server");
        }
    }

    @Test
    void errorsWithoutAnOrderCarryNone() throws Exception {
        try (Sandbox sb = Sandbox.start("quota"); RadarClient client = sb.client()) {
            assertNull(Expect.kind(ErrorKind.QUOTA, () -> client.fetchReport(ReportType.DAY, out)).getOrderNo());
        }
        QccException made = new QccException(ErrorKind.TIMEOUT, null, "m", null, "JKDAY-1", null);
        assertEquals("JKDAY-1", made.getOrderNo());
        assertNull(new QccException(ErrorKind.CONFIG, "m").getOrderNo());
    }

    @Test
    void fetchOptionsAreValuesAndANegativeTimeoutIsConfig() {
        FetchOptions d = FetchOptions.defaults();
        assertNull(d.timeout());
        assertEquals(false, d.newOrder());
        FetchOptions o = d.timeout(Duration.ofSeconds(5)).newOrder(true);
        assertEquals(Duration.ofSeconds(5), o.timeout());
        assertEquals(true, o.newOrder());
        assertEquals(false, d.newOrder(), "defaults() is not changed");
        assertEquals(o, FetchOptions.defaults().newOrder(true).timeout(Duration.ofSeconds(5)));
        assertEquals(o.hashCode(), FetchOptions.defaults().newOrder(true).timeout(Duration.ofSeconds(5)).hashCode());
        assertTrue(o.toString().contains("newOrder=true"), o.toString());
        assertNull(d.orderNo());
        FetchOptions resume = d.orderNo("JKDAY-1");
        assertEquals("JKDAY-1", resume.orderNo());
        assertEquals(resume, FetchOptions.defaults().orderNo("JKDAY-1"));
        assertNotEquals(resume, d);
        assertTrue(resume.toString().contains("orderNo=JKDAY-1"), resume.toString());
        try (RadarClient client = RadarClient.builder().appKey("k").secretKey("s").baseUrl("http://127.0.0.1:1")
                .build()) {
            FetchOptions negative = FetchOptions.defaults().timeout(Duration.ofSeconds(-1));
            Expect.kind(ErrorKind.CONFIG, () -> client.fetchReport(ReportType.DAY, out, negative));
            Expect.failed(ErrorKind.CONFIG, client.fetchReportAsync("day", out, negative));
        }
    }

    @Test
    void everyNativeErrorKindIsAJavaErrorKind() {
        NativeLibrary.ensureLoaded();
        BlockingSink sink = new BlockingSink();
        NativeBridge.errorKinds(sink);
        String[] names = (String[]) sink.get();
        String[] java = Arrays.stream(ErrorKind.values()).map(ErrorKind::wireName).toArray(String[]::new);
        assertArrayEquals(names, java, "com.qccradar.ErrorKind lists qcc_radar::ErrorKind::ALL, in order");
        assertEquals(ErrorKind.UNCONFIRMED_ORDER, ErrorKind.fromWireName("unconfirmed_order"));
        assertEquals(ErrorKind.IO, ErrorKind.fromWireName("io"));
    }
}
