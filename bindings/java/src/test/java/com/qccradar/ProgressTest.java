package com.qccradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RadarClientBuilder#onProgress(ProgressListener)} against the sandbox's {@code large}
 * scenario: events in order, on the callback executor, download events thinned but complete,
 * and a listener that throws or blocks cannot break or hold up the fetch.
 */
class ProgressTest {
    private static final long LARGE = 8L * 1024 * 1024;

    @TempDir
    Path out;

    private static Sandbox large() {
        return Sandbox.start(new Sandbox.Options("large").largeBytes(LARGE).pollsUntilReady(2));
    }

    /** Events trail the call: waits until {@code done} holds for what was heard, or 5 s. */
    private static List<ProgressEvent> settle(List<ProgressEvent> events, Predicate<List<ProgressEvent>> done)
            throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            synchronized (events) {
                if (done.test(events)) {
                    return new ArrayList<>(events);
                }
            }
            Thread.sleep(10);
        }
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    private static boolean extracted(List<ProgressEvent> events) {
        return events.stream().anyMatch(e -> e.kind() == ProgressEvent.Kind.EXTRACTING && e.done() == e.total());
    }

    private static int firstOf(List<ProgressEvent> events, ProgressEvent.Kind kind) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aFetchReportsOrderedPolledDownloadingAndExtractingInOrder() throws Exception {
        List<ProgressEvent> heard = new ArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ExecutorService callbacks = Executors.newFixedThreadPool(3, r -> new Thread(r, "test-callbacks"));
        try (Sandbox sb = large();
                RadarClient client = sb.builder().callbackExecutor(callbacks).onProgress(e -> {
                    threads.add(Thread.currentThread().getName());
                    synchronized (heard) {
                        heard.add(e);
                    }
                }).build()) {
            Report report = client.fetchReport(ReportType.DAY, out).orElseThrow();
            List<ProgressEvent> events = settle(heard, ProgressTest::extracted);

            assertEquals(Set.of("test-callbacks"), threads, "the listener runs on the callback executor");
            assertEquals(new ProgressEvent(ProgressEvent.Kind.ORDERED, report.orderNo(), null, 0, Duration.ZERO, 0, 0,
                    0), events.get(0));
            assertTrue(events.stream().allMatch(e -> e.orderNo().equals(report.orderNo())), events::toString);
            int ordered = firstOf(events, ProgressEvent.Kind.ORDERED);
            int polled = firstOf(events, ProgressEvent.Kind.POLLED);
            int downloading = firstOf(events, ProgressEvent.Kind.DOWNLOADING);
            int extracting = firstOf(events, ProgressEvent.Kind.EXTRACTING);
            assertTrue(ordered < polled && polled < downloading && downloading < extracting, events::toString);

            List<ProgressEvent> polls = events.stream().filter(e -> e.kind() == ProgressEvent.Kind.POLLED).toList();
            assertEquals(List.of(ReportStatus.PENDING, ReportStatus.PENDING, ReportStatus.SUCCEEDED),
                    polls.stream().map(ProgressEvent::status).toList());
            assertEquals(List.of(1, 2, 3), polls.stream().map(ProgressEvent::polls).toList());
            assertTrue(polls.stream().noneMatch(e -> e.elapsed().isNegative()));

            List<ProgressEvent> downloads = events.stream().filter(e -> e.kind() == ProgressEvent.Kind.DOWNLOADING)
                    .toList();
            for (int i = 1; i < downloads.size(); i++) {
                assertTrue(downloads.get(i).received() >= downloads.get(i - 1).received(),
                        "received never goes back: " + downloads);
            }
            ProgressEvent last = downloads.get(downloads.size() - 1);
            assertEquals(LARGE, last.total());
            assertEquals(last.total(), last.received(), "the last download event has everything");
            assertTrue(downloads.size() < 200, downloads.size() + " download events were not thinned");
            assertTrue(extracted(events), "the last extraction event has every entry");
        } finally {
            callbacks.shutdownNow();
        }
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheFetch() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Sandbox sb = large();
                RadarClient client = sb.builder().onProgress(e -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                }).build()) {
            Report report = client.fetchReport(ReportType.DAY, out).orElseThrow();
            assertFalse(report.files().isEmpty());
            // Every event still reached the listener: one throwing does not stop the next.
            for (int i = 0; i < 500 && calls.get() < 6; i++) {
                Thread.sleep(10);
            }
            assertTrue(calls.get() >= 6, calls.get() + " calls: ordered, 3 polls, downloading, extracting");
        }
    }

    @Test
    void aListenerThatBlocksDoesNotHoldUpTheFetch() throws Exception {
        CountDownLatch fetched = new CountDownLatch(1);
        List<ProgressEvent> heard = new ArrayList<>();
        // Runnable::run: the listener runs on the delivering thread itself, and blocks it.
        try (Sandbox sb = large();
                RadarClient client = sb.builder().callbackExecutor(Runnable::run).onProgress(e -> {
                    synchronized (heard) {
                        heard.add(e);
                    }
                    try {
                        fetched.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }).build()) {
            CompletableFuture<Optional<Report>> fetch = client.fetchReportAsync(ReportType.DAY, out);
            Report report = fetch.get(30, TimeUnit.SECONDS).orElseThrow();
            synchronized (heard) {
                assertEquals(1, heard.size(), "the listener is still stuck in its first event");
            }
            fetched.countDown();
            List<ProgressEvent> events = settle(heard, ProgressTest::extracted);
            assertTrue(extracted(events), "the rest arrive once it returns: " + events);
            assertEquals(report.orderNo(), events.get(0).orderNo());
        }
        AsyncTest.assertNoRuntimeThreadAttached();
    }
}
