package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing, the rule of every qcc-radar language: calls in flight on the client end
 * {@link ErrorKind#CANCELLED} promptly, later calls {@link ErrorKind#CONFIG}, closing twice is
 * harmless. Against the sandbox's {@code slow} scenario, which keeps an order pending.
 */
class ClosingTest {
    /** How soon after close a call in flight must have ended. */
    private static final long PROMPTLY_MS = 2_000;

    @TempDir
    Path out;

    private static Sandbox slow() {
        return Sandbox.start(new Sandbox.Options("slow").slowReadyAfter(Duration.ofSeconds(600)));
    }

    /** Runs {@code call} on a new thread; returns the thread and where its exception lands. */
    private static Thread inFlight(Runnable call, AtomicReference<Throwable> thrown) {
        Thread t = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "closing-test-call");
        t.start();
        return t;
    }

    @Test
    void aBlockingWaitInFlightEndsCancelled() throws Exception {
        try (Sandbox sb = slow()) {
            RadarClient client = sb.client();
            String order = client.createReport(ReportType.DAY).orElseThrow();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread waiter = inFlight(() -> client.waitForReport(order, Duration.ofSeconds(60)), thrown);
            Thread.sleep(300);
            assertTrue(waiter.isAlive(), "still waiting before close");
            long start = System.nanoTime();
            client.close();
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "the wait ended");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < PROMPTLY_MS, "promptly");
            QccException e = (QccException) thrown.get();
            assertEquals(ErrorKind.CANCELLED, e.getKind(), e.toString());
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            Expect.kind(ErrorKind.CONFIG, () -> client.reportInfo(order));
            client.close(); // harmless
            assertTrue(client.isClosed());
        }
    }

    @Test
    void aBlockingFetchInFlightEndsCancelledAndLeavesTheFolderUsable() throws Exception {
        try (Sandbox sb = slow()) {
            RadarClient client = sb.client();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread fetcher = inFlight(() -> client.fetchReport(ReportType.DAY, out, Duration.ofSeconds(60)), thrown);
            Thread.sleep(500);
            long start = System.nanoTime();
            client.close();
            fetcher.join(10_000);
            assertFalse(fetcher.isAlive(), "the fetch ended");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < PROMPTLY_MS, "promptly");
            QccException e = (QccException) thrown.get();
            assertEquals(ErrorKind.CANCELLED, e.getKind(), e.toString());
            // The folder's lock was released: another client resumes the same order at once.
            try (RadarClient again = sb.client()) {
                QccException timeout = Expect.kind(ErrorKind.TIMEOUT,
                        () -> again.fetchReport(ReportType.DAY, out, Duration.ofMillis(200)));
                assertEquals(e.getOrderNo() == null ? timeout.getOrderNo() : e.getOrderNo(), timeout.getOrderNo());
            }
            assertEquals(1, sb.record().ordersPlaced(), "one order in all");
        }
    }

    @Test
    void asyncCallsInFlightEndCancelled() throws Exception {
        try (Sandbox sb = slow()) {
            RadarClient client = sb.client();
            String order = client.createReport(ReportType.WEEK).orElseThrow();
            CompletableFuture<ReportInfo> wait = client.waitForReportAsync(order, Duration.ofSeconds(60));
            CompletableFuture<Optional<Report>> fetch = client.fetchReportAsync(ReportType.DAY, out,
                    Duration.ofSeconds(60));
            Thread.sleep(300);
            assertFalse(wait.isDone() || fetch.isDone(), "both still running before close");
            long start = System.nanoTime();
            client.close();
            QccException w = Expect.failed(ErrorKind.CANCELLED, wait);
            QccException f = Expect.failed(ErrorKind.CANCELLED, fetch);
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < PROMPTLY_MS, "promptly");
            assertTrue(w.getMessage().contains("closed"), w.getMessage());
            assertTrue(f.getMessage().contains("closed"), f.getMessage());
            Expect.failed(ErrorKind.CONFIG, client.reportInfoAsync(order));
        }
        AsyncTest.awaitNoPendingTasks();
    }

    @Test
    void tryWithResourcesClosesWhatIsInFlight() throws Exception {
        try (Sandbox sb = slow()) {
            CompletableFuture<ReportInfo> wait;
            RadarClient escaped;
            try (RadarClient client = sb.client()) {
                String order = client.createReport(ReportType.MONTH).orElseThrow();
                wait = client.waitForReportAsync(order, Duration.ofSeconds(60));
                escaped = client;
                // Under way (polling), not merely started: a task the runtime has not polled
                // yet when the client closes finds it closed and ends CONFIG instead.
                Thread.sleep(300);
                assertFalse(wait.isDone());
            }
            Expect.failed(ErrorKind.CANCELLED, wait);
            assertTrue(escaped.isClosed());
            Expect.kind(ErrorKind.CONFIG, () -> escaped.createReport(ReportType.DAY));
        }
    }

    @Test
    void aCollectedClientLetsItsAsyncCallFinish() throws Exception {
        try (Sandbox sb = Sandbox.start("normal")) {
            // Nothing keeps the client reachable; the collector may release it meanwhile, but
            // only close() cancels.
            CompletableFuture<Optional<Report>> fetch = sb.client().fetchReportAsync(ReportType.DAY, out);
            for (int i = 0; i < 5 && !fetch.isDone(); i++) {
                System.gc();
                Thread.sleep(50);
            }
            Report report = fetch.get(60, TimeUnit.SECONDS).orElseThrow();
            try (Stream<Path> files = Files.list(report.folder())) {
                assertTrue(files.findAny().isPresent());
            }
        }
    }
}
