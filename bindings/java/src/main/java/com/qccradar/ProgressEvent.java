package com.qccradar;

import java.time.Duration;

/**
 * One step of an order's progress, as a {@link ProgressListener} receives it. Which fields mean
 * something depends on {@link #kind()}; the others are 0 (or null).
 *
 * @param kind what happened
 * @param orderNo the order it concerns
 * @param status {@link Kind#POLLED}: what getReportInfo answered; else null
 * @param polls {@link Kind#POLLED}: polls so far in this wait
 * @param elapsed {@link Kind#POLLED}: time waited so far; else {@link Duration#ZERO}
 * @param received {@link Kind#DOWNLOADING}: bytes of the archive received so far
 * @param total {@link Kind#DOWNLOADING}: the archive's size in bytes, or -1 when the storage
 *     did not say; {@link Kind#EXTRACTING}: the entries to extract
 * @param done {@link Kind#EXTRACTING}: entries extracted so far
 */
public record ProgressEvent(Kind kind, String orderNo, ReportStatus status, int polls, Duration elapsed,
        long received, long total, long done) {

    /** What happened. */
    public enum Kind {
        /** createReport placed an order ({@code orderNo}). */
        ORDERED,
        /** getReportInfo answered during a wait ({@code status}, {@code polls}, {@code elapsed}). */
        POLLED,
        /**
         * Bytes of the archive arrived ({@code received} of {@code total}); the last event of a
         * download has {@code received == total}.
         */
        DOWNLOADING,
        /** Entries were extracted ({@code done} of {@code total}); the last has {@code done == total}. */
        EXTRACTING;

        /** The kind for the name the native library gives. */
        static Kind fromNative(String name) {
            return switch (name) {
                case "ordered" -> ORDERED;
                case "polled" -> POLLED;
                case "downloading" -> DOWNLOADING;
                case "extracting" -> EXTRACTING;
                default -> null;
            };
        }
    }
}
