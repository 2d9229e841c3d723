package com.qccradar;

/**
 * Listens to the progress of a client's calls: set it with
 * {@link RadarClientBuilder#onProgress(ProgressListener)}.
 *
 * <pre>{@code
 * RadarClient client = RadarClient.builder()
 *         .onProgress(e -> {
 *             if (e.kind() == ProgressEvent.Kind.DOWNLOADING && e.total() > 0) {
 *                 System.err.printf("%s: %d%%%n", e.orderNo(), 100 * e.received() / e.total());
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>It is called on the client's {@linkplain RadarClientBuilder#callbackExecutor callback
 * executor}, one event at a time and in the order they happened, so it need not be thread-safe
 * for one client. What it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * One step of an order's progress.
     *
     * @param event what happened
     */
    void onProgress(ProgressEvent event);
}
