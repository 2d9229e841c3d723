package com.qccradar;

import java.util.Locale;

/**
 * What went wrong, as a caller would branch on it. The same kinds, with the same snake_case
 * names ({@link #wireName()}), exist in every qcc-radar binding and in the CLI's JSON output.
 */
public enum ErrorKind {
    /** The key, secret, signature or clock is wrong (101, 103, 104, 107, 115, 119 …). */
    AUTH,
    /** Money, daily limits or throttling (102, 109, 112, 116, 110, 120, 122 …). */
    QUOTA,
    /** The interface is not enabled or not bought (111, 113, 114, 214, 223, 118 …). */
    PERMISSION,
    /** The request itself is wrong (202, 213, 215, 207–209, 218, 219, an unknown order …). */
    INVALID_REQUEST,
    /** QCC could not make the report (reportStatus {@code F}); order a new one. */
    REPORT_FAILED,
    /** A wait ran past its deadline. */
    TIMEOUT,
    /** Network, TLS, 5xx or unreadable answers, after the retries allowed. */
    TRANSPORT,
    /** The download is not a sound, safe zip. */
    ARCHIVE,
    /** Missing credentials, a bad base URL or bad arguments (nothing was sent), or a closed client. */
    CONFIG,
    /** The call was cancelled: its thread was interrupted or its future cancelled. */
    CANCELLED,
    /** A bug in qcc-radar itself; please report it. */
    INTERNAL,
    /**
     * createReport may have placed (and billed) an order whose answer never arrived: the request
     * went out, then the connection broke, timed out, or the process stopped before the answer
     * was recorded in the folder's order ledger. {@link RadarClient#fetchReport(ReportType,
     * java.nio.file.Path) fetchReport} orders nothing more for that report type and period in
     * that folder until you decide: check the orders in the QCC console, then re-run with
     * {@link FetchOptions#newOrder(boolean) newOrder(true)} if none was placed.
     */
    UNCONFIRMED_ORDER,
    /**
     * The local file system failed: disk full, permission denied, a read-only folder, an
     * unreadable order ledger. The message names the path. Nothing is ordered because of it.
     */
    IO;

    /**
     * The kind's name as every binding spells it: {@code "auth"}, {@code "invalid_request"},
     * {@code "unconfirmed_order"} ….
     *
     * @return the snake_case name
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind with the given snake_case name; {@link #INTERNAL} for a name this version does
     * not know (a newer native library), so that nothing is lost silently.
     *
     * @param wireName a name from {@link #wireName()}
     * @return the kind
     */
    public static ErrorKind fromWireName(String wireName) {
        for (ErrorKind kind : values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        return INTERNAL;
    }
}
