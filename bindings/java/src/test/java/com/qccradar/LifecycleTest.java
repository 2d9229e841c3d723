package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing, threads, interruption, panics and where the native library comes from ({@link ClosingTest} for calls in flight). */
class LifecycleTest {
    @TempDir
    Path out;

    @Test
    void closeIsIdempotent() {
        try (Sandbox sb = Sandbox.start("normal")) {
            RadarClient client = sb.client();
            assertFalse(client.isClosed());
            client.close();
            client.close();
            assertTrue(client.isClosed());
            assertTrue(client.toString().contains("closed"), client.toString());
        }
    }

    @Test
    void everyCallAfterCloseIsAConfigError() {
        try (Sandbox sb = Sandbox.start("normal")) {
            RadarClient client = sb.client();
            String order = client.createReport(ReportType.DAY).orElseThrow();
            client.close();
            QccException e = Expect.kind(ErrorKind.CONFIG, () -> client.createReport(ReportType.DAY));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            Expect.kind(ErrorKind.CONFIG, () -> client.reportInfo(order));
            Expect.kind(ErrorKind.CONFIG, () -> client.waitForReport(order));
            Expect.kind(ErrorKind.CONFIG, () -> client.downloadReport(order, out));
            Expect.kind(ErrorKind.CONFIG, () -> client.fetchReport(ReportType.DAY, out));
            Expect.failed(ErrorKind.CONFIG, client.createReportAsync(ReportType.DAY));
            Expect.failed(ErrorKind.CONFIG, client.fetchReportAsync(ReportType.DAY, out));
        }
    }

    @Test
    void closeRacingWithCallsNeverCrashes() throws Exception {
        try (Sandbox sb = Sandbox.start("normal")) {
            for (int round = 0; round < 5; round++) {
                RadarClient client = sb.client();
                String order = client.createReport(ReportType.DAY).orElseThrow();
                ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
                AtomicBoolean sawClosed = new AtomicBoolean();
                CountDownLatch running = new CountDownLatch(4);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Thread th = new Thread(() -> {
                        running.countDown();
                        for (int i = 0; i < 200 && !sawClosed.get(); i++) {
                            try {
                                client.reportInfo(order);
                            } catch (QccException e) {
                                // CONFIG once closed; CANCELLED for a call that was running.
                                if (e.getKind() == ErrorKind.CONFIG || e.getKind() == ErrorKind.CANCELLED) {
                                    sawClosed.set(true);
                                } else {
                                    unexpected.add(e);
                                }
                            } catch (Throwable e) {
                                unexpected.add(e);
                            }
                        }
                    });
                    th.start();
                    threads.add(th);
                }
                running.await();
                Thread.sleep(20);
                client.close();
                for (Thread th : threads) {
                    th.join(30_000);
                }
                assertTrue(unexpected.isEmpty(), () -> "unexpected: " + unexpected);
                Expect.kind(ErrorKind.CONFIG, () -> client.reportInfo(order));
            }
        }
    }

    @Test
    void oneClientServesSeveralThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (Sandbox sb = Sandbox.start("normal"); RadarClient client = sb.client()) {
            List<Future<Report>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Path dir = out.resolve("run-" + i);
                ReportType type = ReportType.values()[i % 3];
                runs.add(pool.submit(() -> client.fetchReport(type, dir).orElseThrow()));
            }
            Set<String> orders = new HashSet<>();
            for (int i = 0; i < runs.size(); i++) {
                Report r = runs.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(out.resolve("run-" + i), r.archive().getParent());
                assertFalse(r.files().isEmpty());
                orders.add(r.orderNo());
            }
            assertEquals(6, orders.size(), "one order per call: " + orders);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void interruptingABlockingWaitCancelsIt() throws Exception {
        try (Sandbox sb = Sandbox.start("slow"); RadarClient client = sb.client()) {
            String order = client.createReport(ReportType.DAY).orElseThrow();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread waiter = new Thread(() -> {
                try {
                    client.waitForReport(order, Duration.ofSeconds(60));
                } catch (Throwable e) {
                    thrown.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            waiter.start();
            Thread.sleep(300);
            long start = System.nanoTime();
            waiter.interrupt();
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "the wait stopped");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "promptly");
            QccException e = (QccException) thrown.get();
            assertEquals(ErrorKind.CANCELLED, e.getKind(), e.toString());
            assertTrue(stillInterrupted.get(), "the interrupt flag is kept");
            // The client is still usable afterwards.
            assertEquals(ReportStatus.PENDING, client.reportInfo(order).status());
        }
    }

    @Test
    void aRustPanicBecomesAnInternalError() {
        RadarClient.version(); // loads the library
        BlockingSink sink = new BlockingSink();
        NativeBridge.panicForTest(sink);
        QccException e = Expect.kind(ErrorKind.INTERNAL, sink::get);
        assertTrue(e.getMessage().contains("deliberate panic"), e.getMessage());
        // The library still works after it.
        assertEquals("F82D2EC0DA9D602FB2F633CEBEBDE66E", RadarClient.sign("key", 1700000000L, "secret"));
    }

    @Test
    void theLibraryCameFromTheJarResource() {
        // Surefire's java.library.path does not hold the library, so it was extracted from the
        // class path (target/classes here, the jar in use).
        assertEquals("resource:/native/linux-x86_64/libqcc_radar_jni.so", RadarClient.nativeLibrarySource());
        assertNotEquals("", RadarClient.version());
    }
}
