package com.qccradar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RadarClient#fetchReport(ReportType, Path, FetchOptions) fetchReport} runs: the
 * wait's deadline and whether to order whatever the folder's order ledger says. Immutable; each
 * method returns a changed copy.
 *
 * <pre>{@code
 * client.fetchReport(ReportType.DAY, Path.of("reports"),
 *         FetchOptions.defaults().timeout(Duration.ofMinutes(10)));
 * // after an UNCONFIRMED_ORDER you have checked (no order in QCC's console):
 * client.fetchReport(ReportType.DAY, Path.of("reports"), FetchOptions.defaults().newOrder(true));
 * }</pre>
 */
public final class FetchOptions {
    private static final FetchOptions DEFAULTS = new FetchOptions(null, false);

    private final Duration timeout;
    private final boolean newOrder;

    private FetchOptions(Duration timeout, boolean newOrder) {
        this.timeout = timeout;
        this.newOrder = newOrder;
    }

    /**
     * The defaults: the client's wait timeout, and the ledger decides whether to order (a
     * re-run returns the report already fetched, resumes an order already placed, and never
     * orders again after a lost answer).
     *
     * @return the default options
     */
    public static FetchOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with this wait deadline.
     *
     * @param timeout how long to wait for the report to be made, or null for the client's wait
     *     timeout; a negative one fails the call with {@link ErrorKind#CONFIG}
     * @return the changed copy
     */
    public FetchOptions timeout(Duration timeout) {
        return new FetchOptions(timeout, newOrder);
    }

    /**
     * A copy that orders a new report whatever the folder's ledger says ({@code true}), or lets
     * the ledger decide ({@code false}, the default). Use it after an
     * {@link ErrorKind#UNCONFIRMED_ORDER} once you have checked that no order was placed, or to
     * ask again after a "no change" answer. The new order is recorded in the ledger.
     *
     * @param newOrder whether to order anyway
     * @return the changed copy
     */
    public FetchOptions newOrder(boolean newOrder) {
        return new FetchOptions(timeout, newOrder);
    }

    /**
     * The wait deadline.
     *
     * @return the deadline, or null for the client's wait timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Whether to order whatever the ledger says.
     *
     * @return true to order anyway
     */
    public boolean newOrder() {
        return newOrder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FetchOptions other && newOrder == other.newOrder && Objects.equals(timeout, other.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeout, newOrder);
    }

    @Override
    public String toString() {
        return "FetchOptions[timeout=" + timeout + ", newOrder=" + newOrder + "]";
    }
}
