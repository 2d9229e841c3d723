package com.qccradar;

/**
 * The sink of a blocking call: the native method fills it on the calling thread before it
 * returns, and {@link #get()} then returns the payload or throws.
 */
final class BlockingSink extends NativeSink {
    private boolean done;
    private Object payload;
    private QccException error;

    @Override
    void succeed(Object payload) {
        if (!done) {
            this.payload = payload;
            done = true;
        }
    }

    @Override
    void fail(String kind, int code, boolean hasCode, String message, String serverMessage, String orderNo) {
        if (!done) {
            error = QccException.fromNative(kind, code, hasCode, message, serverMessage, orderNo);
            done = true;
        }
    }

    /** The payload; throws the call's error, or an internal one if nothing was delivered. */
    Object get() {
        if (error != null) {
            throw error;
        }
        if (!done) {
            throw new QccException(ErrorKind.INTERNAL,
                    "internal error in the qcc-radar Java binding: the native call returned without a result; please report this");
        }
        return payload;
    }
}
