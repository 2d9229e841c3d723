package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code *Async} variants: same behaviour, no blocked thread, callbacks on the executor. */
class AsyncTest {
    @TempDir
    Path out;

    /** Waits until no runtime thread is attached to the JVM any more. */
    static void assertNoRuntimeThreadAttached() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> attached;
        do {
            attached = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("qcc-radar")) {
                    attached.add(t.getName());
                }
            }
            if (attached.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("runtime threads still attached to the JVM: " + attached);
    }

    static void awaitNoPendingTasks() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (RadarClient.pendingTasks() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, RadarClient.pendingTasks(), "no task left running");
    }

    @Test
    void fetchReportAsyncDownloadsTheReport() throws Exception {
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            Report report = client.fetchReportAsync(ReportType.DAY, out).get(60, TimeUnit.SECONDS).orElseThrow();
            assertEquals(ReportType.DAY, report.reportType());
            assertTrue(Files.isRegularFile(report.archive()));
            assertFalse(report.files().isEmpty());
            for (Path f : report.files()) {
                assertTrue(Files.isRegularFile(f), f.toString());
            }
        }
        awaitNoPendingTasks();
        assertNoRuntimeThreadAttached();
    }

    @Test
    void stepByStepAsync() throws Exception {
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            String order = client.createReportAsync(ReportType.MONTH).get(30, TimeUnit.SECONDS).orElseThrow();
            assertTrue(order.startsWith("JKMONTH"), order);
            assertEquals(ReportStatus.PENDING, client.reportInfoAsync(order).get(30, TimeUnit.SECONDS).status());
            ReportInfo ready = client.waitForReportAsync(order).get(30, TimeUnit.SECONDS);
            assertEquals(ReportStatus.SUCCEEDED, ready.status());
            Report report = client.downloadReportAsync(order, out).get(30, TimeUnit.SECONDS);
            assertEquals(order, report.orderNo());
            assertEquals(ReportType.MONTH, report.reportType());
        }
    }

    @Test
    void noChangeAsyncIsEmpty() throws Exception {
        try (Sandbox sb = Sandbox.start("no_change"); RadarClient client = sb.client()) {
            assertEquals(Optional.empty(), client.createReportAsync("day").get(30, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), client.fetchReportAsync(ReportType.DAY, out).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void errorKindsArriveThroughTheFuture() throws Exception {
        try (Sandbox sb = Sandbox.start("quota"); RadarClient client = sb.client()) {
            assertEquals(112, Expect.failed(ErrorKind.QUOTA, client.createReportAsync(ReportType.DAY)).getCode());
        }
        try (Sandbox sb = Sandbox.start("bad_credentials"); RadarClient client = sb.client()) {
            Expect.failed(ErrorKind.AUTH, client.fetchReportAsync(ReportType.DAY, out));
        }
        try (Sandbox sb = Sandbox.start("fail"); RadarClient client = sb.client()) {
            Expect.failed(ErrorKind.REPORT_FAILED, client.fetchReportAsync(ReportType.DAY, out));
        }
        try (Sandbox sb = Sandbox.start("unsafe_archive"); RadarClient client = sb.client()) {
            Expect.failed(ErrorKind.ARCHIVE, client.fetchReportAsync(ReportType.DAY, out.resolve("x")));
        }
        try (Sandbox sb = Sandbox.start("slow"); RadarClient client = sb.client()) {
            String order = client.createReport(ReportType.DAY).orElseThrow();
            Expect.failed(ErrorKind.TIMEOUT, client.waitForReportAsync(order, Duration.ofMillis(200)));
        }
        awaitNoPendingTasks();
        assertNoRuntimeThreadAttached();
    }

    @Test
    void badArgumentsFailTheFutureInsteadOfThrowing() {
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            Expect.failed(ErrorKind.CONFIG, client.createReportAsync("year"));
            Expect.failed(ErrorKind.CONFIG, client.reportInfoAsync("../x"));
            Expect.failed(ErrorKind.CONFIG, client.downloadReportAsync("JKDAY-1", null));
            Expect.failed(ErrorKind.CONFIG, client.waitForReportAsync("JKDAY-1", Duration.ofSeconds(-1)));
        }
    }

    @Test
    void callbacksRunOnTheCallbackExecutorNotOnRuntimeThreads() throws Exception {
        ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "test-callback");
            t.setDaemon(true);
            return t;
        });
        // Hold the executor until the dependent stage is attached, so that it runs at
        // completion (on the executor) rather than at attachment (on this thread).
        CountDownLatch attached = new CountDownLatch(1);
        callbacks.execute(() -> {
            try {
                attached.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Sandbox sb = Sandbox.start("normal");
                RadarClient client = sb.builder().callbackExecutor(callbacks).build()) {
            CompletableFuture<String> thread = client.createReportAsync(ReportType.DAY)
                    .thenApply(order -> Thread.currentThread().getName());
            Thread.sleep(200); // the order is placed and its completion queued meanwhile
            assertFalse(thread.isDone(), "completion waits for the executor");
            attached.countDown();
            assertEquals("test-callback", thread.get(30, TimeUnit.SECONDS));
        } finally {
            callbacks.shutdownNow();
        }
    }

    @Test
    void cancellingTheFutureStopsTheWork() throws Exception {
        try (Sandbox sb = Sandbox.start("slow"); RadarClient client = sb.client()) {
            String order = client.createReport(ReportType.DAY).orElseThrow();
            CompletableFuture<ReportInfo> waiting = client.waitForReportAsync(order, Duration.ofSeconds(60));
            Thread.sleep(200);
            assertEquals(1, RadarClient.pendingTasks(), "the wait is running in Rust");
            assertTrue(waiting.cancel(true));
            assertThrows(CancellationException.class, waiting::join);
            awaitNoPendingTasks();
        }
        assertNoRuntimeThreadAttached();
    }

    @Test
    void manyConcurrentCallsAllComplete() throws Exception {
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            String order = client.createReport(ReportType.DAY).orElseThrow();
            List<CompletableFuture<ReportInfo>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(client.reportInfoAsync(order));
            }
            CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            for (CompletableFuture<ReportInfo> c : calls) {
                assertTrue(c.join().status() == ReportStatus.PENDING || c.join().status() == ReportStatus.SUCCEEDED);
            }
        }
        awaitNoPendingTasks();
        assertNoRuntimeThreadAttached();
    }
}
