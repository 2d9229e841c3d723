package com.qccradar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RadarClient#fetchReport(ReportType, Path, FetchOptions) fetchReport} runs: the
 * wait's deadline, whether to order whatever the folder's order ledger says, and an order to
 * resume instead of ordering. Immutable; each method returns a changed copy. Values are checked
 * when the call starts, by the client's own rules (the same messages in every language), and
 * a bad one fails the call with {@link ErrorKind#CONFIG} before anything is sent.
 *
 * <pre>{@code
 * client.fetchReport(ReportType.DAY, Path.of("reports"),
 *         FetchOptions.defaults().timeout(Duration.ofMinutes(10)));
 * // after an UNCONFIRMED_ORDER, when QCC's console lists the order:
 * client.fetchReport(ReportType.DAY, Path.of("reports"), FetchOptions.defaults().orderNo("JKDAY-..."));
 * // after an UNCONFIRMED_ORDER you have checked (no order in QCC's console):
 * client.fetchReport(ReportType.DAY, Path.of("reports"), FetchOptions.defaults().newOrder(true));
 * }</pre>
 */
public final class FetchOptions {
    private static final FetchOptions DEFAULTS = new FetchOptions(null, false, null);

    private final Duration timeout;
    private final boolean newOrder;
    private final String orderNo;

    private FetchOptions(Duration timeout, boolean newOrder, String orderNo) {
        this.timeout = timeout;
        this.newOrder = newOrder;
        this.orderNo = orderNo;
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
        return new FetchOptions(timeout, newOrder, orderNo);
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
        return new FetchOptions(timeout, newOrder, orderNo);
    }

    /**
     * A copy that resumes {@code orderNo} as the period's order instead of ordering: the order
     * you found in QCC's console after an {@link ErrorKind#UNCONFIRMED_ORDER}. It is recorded in
     * the folder's ledger, then waited for and downloaded, so later re-runs return it. It must be
     * an order of the report type fetched, and it excludes {@link #newOrder(boolean)
     * newOrder(true)}: either fails the call with {@link ErrorKind#CONFIG} before anything is
     * sent, as does a malformed order number.
     *
     * @param orderNo the order number, such as {@code JKDAY-167660123348194027}, or null to let
     *     the ledger decide (the default)
     * @return the changed copy
     */
    public FetchOptions orderNo(String orderNo) {
        return new FetchOptions(timeout, newOrder, orderNo);
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

    /**
     * The order to resume instead of ordering.
     *
     * @return the order number, or null when the ledger decides
     */
    public String orderNo() {
        return orderNo;
    }

    /**
     * The options as pairs for the native library, which sets and checks them with the client's
     * table (names {@code timeout}, {@code newOrder}, {@code orderNo}), as it does the client's
     * settings.
     */
    NamedValues toNamedValues() {
        NamedValues v = new NamedValues().duration("timeout", timeout).flag("newOrder", newOrder);
        return v.text("orderNo", orderNo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FetchOptions other && newOrder == other.newOrder && Objects.equals(timeout, other.timeout)
                && Objects.equals(orderNo, other.orderNo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeout, newOrder, orderNo);
    }

    @Override
    public String toString() {
        return "FetchOptions[timeout=" + timeout + ", newOrder=" + newOrder + ", orderNo=" + orderNo + "]";
    }
}
