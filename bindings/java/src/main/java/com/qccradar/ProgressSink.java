package com.qccradar;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the native library delivers a client's progress events ({@code bindings/java/src/progress.rs}),
 * from its own delivering thread, attached to the JVM only while it has events. The listener
 * runs on the callback executor, never on that thread's caller: {@link #progress} only queues the
 * event and, unless a drain is already scheduled, schedules one. One drain at a time runs the
 * queued events in order, so the listener sees them one by one and in order even on a
 * multi-threaded executor. Rust calls {@link #progress} by name: its signature must not change.
 */
final class ProgressSink {
    private static final System.Logger LOG = System.getLogger("com.qccradar");

    private final ProgressListener listener;
    private final Executor executor;
    private final Queue<ProgressEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    ProgressSink(ProgressListener listener, Executor executor) {
        this.listener = listener;
        this.executor = executor;
    }

    /** One event from the native library; unknown kinds are skipped. Never throws. */
    void progress(String kind, String orderNo, String status, int polls, long elapsedMs, long received, long total,
            long done) {
        try {
            ProgressEvent.Kind k = ProgressEvent.Kind.fromNative(kind);
            if (k == null) {
                return;
            }
            ReportStatus s = status == null ? null : ReportStatus.fromLetter(status);
            queue.add(new ProgressEvent(k, orderNo, s, polls, Duration.ofMillis(elapsedMs), received, total, done));
            schedule();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "qcc-radar could not deliver a progress event", e);
        }
    }

    private void schedule() {
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The executor is shut down: nobody will listen any more.
                queue.clear();
                scheduled.set(false);
            }
        }
    }

    private void drain() {
        try {
            for (ProgressEvent e = queue.poll(); e != null; e = queue.poll()) {
                try {
                    listener.onProgress(e);
                } catch (RuntimeException | LinkageError | AssertionError err) {
                    LOG.log(System.Logger.Level.WARNING, "the qcc-radar progress listener threw; the call goes on", err);
                }
            }
        } finally {
            scheduled.set(false);
            schedule(); // an event that came after the last poll
        }
    }
}
