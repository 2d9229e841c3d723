package com.qccradar;

import java.time.Instant;
import java.util.Objects;

/**
 * What getReportInfo says about an order: its {@link #status() status} and, once made, the
 * signed download {@link #url() link} and when that link {@link #expiresAt() expires}.
 *
 * <p>The link is a bearer credential until it expires, so {@link #toString()} shows it without
 * its query; only {@link #url()} gives the full text.
 */
public final class ReportInfo {
    private final ReportStatus status;
    private final String url;
    private final Instant expiresAt;
    private final String redactedUrl;

    private ReportInfo(ReportStatus status, String url, Instant expiresAt, String redactedUrl) {
        this.status = Objects.requireNonNull(status, "status");
        this.url = url;
        this.expiresAt = expiresAt;
        this.redactedUrl = redactedUrl;
    }

    /** Decodes {@code [status, url, expiresAt seconds, redacted url]} from the native library. */
    static ReportInfo fromNative(Object payload) {
        String[] a = (String[]) payload;
        Instant expires = a[2] == null ? null : Instant.ofEpochSecond(Long.parseLong(a[2]));
        return new ReportInfo(ReportStatus.fromLetter(a[0]), a[1], expires, a[3]);
    }

    /**
     * {@code P}, {@code S} or {@code F}.
     *
     * @return the status
     */
    public ReportStatus status() {
        return status;
    }

    /**
     * The full signed download link, signature included: do not log it.
     *
     * @return the link when the status is {@link ReportStatus#SUCCEEDED}, else null
     */
    public String url() {
        return url;
    }

    /**
     * When the link stops working (its {@code Expires}); a fresh reportInfo gives a fresh link.
     *
     * @return the expiry, or null when there is no link or it carries no expiry
     */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ReportInfo)) {
            return false;
        }
        ReportInfo other = (ReportInfo) o;
        return status == other.status && Objects.equals(url, other.url) && Objects.equals(expiresAt, other.expiresAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, url, expiresAt);
    }

    /** Shows the link without its query (the signature), so the text is safe to log. */
    @Override
    public String toString() {
        return "ReportInfo[status=" + status + ", url=" + redactedUrl + ", expiresAt=" + expiresAt + "]";
    }
}
