package com.qccradar;

/**
 * A qcc-radar failure: a {@link #getKind() kind} to branch on, the API's
 * {@link #getCode() status code} when it answered with one, an English message that says what
 * happened and what to do, the {@link #getServerMessage() server's own msg}, and the
 * {@link #getOrderNo() order number} when an order exists (a wait that timed out, a failed
 * report, a download that failed after ordering), so that you can resume it instead of paying
 * for another.
 *
 * <p>Messages never contain the secret key, a Token or a signed link's query.
 */
public class QccException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final Integer code;
    private final String serverMessage;
    private final String orderNo;

    /**
     * A failure without a status code.
     *
     * @param kind what went wrong
     * @param message what happened and what to do
     */
    public QccException(ErrorKind kind, String message) {
        this(kind, null, message, null, null);
    }

    /**
     * A failure with every detail.
     *
     * @param kind what went wrong
     * @param code the API's status code, or null
     * @param message what happened and what to do
     * @param serverMessage the server's own {@code msg}, or null
     * @param cause the underlying exception, or null
     */
    public QccException(ErrorKind kind, Integer code, String message, String serverMessage, Throwable cause) {
        this(kind, code, message, serverMessage, null, cause);
    }

    /**
     * A failure with every detail, including the order it concerns.
     *
     * @param kind what went wrong
     * @param code the API's status code, or null
     * @param message what happened and what to do
     * @param serverMessage the server's own {@code msg}, or null
     * @param orderNo the order number the failure concerns, or null
     * @param cause the underlying exception, or null
     */
    public QccException(ErrorKind kind, Integer code, String message, String serverMessage, String orderNo,
            Throwable cause) {
        super(message, cause);
        this.kind = kind == null ? ErrorKind.INTERNAL : kind;
        this.code = code;
        this.serverMessage = serverMessage;
        this.orderNo = orderNo;
    }

    /**
     * Builds the exception the native library reported.
     */
    static QccException fromNative(String kind, int code, boolean hasCode, String message, String serverMessage,
            String orderNo) {
        return new QccException(ErrorKind.fromWireName(kind), hasCode ? code : null, message, serverMessage, orderNo,
                null);
    }

    /**
     * A copy thrown on the caller's thread, so its stack trace shows the caller; the original
     * (from the thread that finished the work) is its cause.
     */
    QccException rethrownHere() {
        return new QccException(kind, code, getMessage(), serverMessage, orderNo, this);
    }

    /**
     * What went wrong.
     *
     * @return the kind, never null
     */
    public ErrorKind getKind() {
        return kind;
    }

    /**
     * The API's status code ({@code 112}, {@code 107} …) when the API answered with one.
     *
     * @return the code, or null
     */
    public Integer getCode() {
        return code;
    }

    /**
     * The server's own {@code msg} (often Chinese) when there was one.
     *
     * @return the server's message, or null
     */
    public String getServerMessage() {
        return serverMessage;
    }

    /**
     * The order this failure concerns, when one exists: the order a wait gave up on
     * ({@link ErrorKind#TIMEOUT}; it stays placed and billed), a report QCC could not make
     * ({@link ErrorKind#REPORT_FAILED}), a download or archive that failed after ordering, an
     * order the ledger resumed. Pass it to {@link RadarClient#waitForReport(String)} and
     * {@link RadarClient#downloadReport(String, java.nio.file.Path)}, or simply call
     * {@code fetchReport} again with the same folder, which resumes it. Null for
     * {@link ErrorKind#UNCONFIRMED_ORDER}: its order number never arrived.
     *
     * @return the order number, or null when there is none
     */
    public String getOrderNo() {
        return orderNo;
    }

    @Override
    public String toString() {
        return getClass().getName() + " (" + kind.wireName() + "): " + getMessage();
    }
}
