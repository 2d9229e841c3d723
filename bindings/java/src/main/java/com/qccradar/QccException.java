package com.qccradar;

/**
 * A qcc-radar failure: a {@link #getKind() kind} to branch on, the API's
 * {@link #getCode() status code} when it answered with one, an English message that says what
 * happened and what to do, and the {@link #getServerMessage() server's own msg}.
 *
 * <p>Messages never contain the secret key, a Token or a signed link's query.
 */
public class QccException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final Integer code;
    private final String serverMessage;

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
        super(message, cause);
        this.kind = kind == null ? ErrorKind.INTERNAL : kind;
        this.code = code;
        this.serverMessage = serverMessage;
    }

    /**
     * Builds the exception the native library reported.
     */
    static QccException fromNative(String kind, int code, boolean hasCode, String message, String serverMessage) {
        return new QccException(ErrorKind.fromWireName(kind), hasCode ? code : null, message, serverMessage, null);
    }

    /**
     * A copy thrown on the caller's thread, so its stack trace shows the caller; the original
     * (from the thread that finished the work) is its cause.
     */
    QccException rethrownHere() {
        return new QccException(kind, code, getMessage(), serverMessage, this);
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

    @Override
    public String toString() {
        return getClass().getName() + " (" + kind.wireName() + "): " + getMessage();
    }
}
