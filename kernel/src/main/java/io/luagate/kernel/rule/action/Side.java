package io.luagate.kernel.rule.action;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Transaction;

/**
 * Which rule list an action is in: {@code http-request} (works on the request),
 * {@code http-response} or {@code http-after-response} (the response), {@code tcp-request content}
 * or {@code tcp-response content} (no HTTP message).
 */
public enum Side {
    REQUEST("http-request"),
    RESPONSE("http-response"),
    /** Run on every response, the proxy's own included, just before it leaves (HAProxy's {@code http-after-response}). */
    AFTER_RESPONSE("http-after-response"),
    TCP("tcp-request content"),
    TCP_RESPONSE("tcp-response content");

    private final String listName;

    Side(String listName) {
        this.listName = listName;
    }

    public String listName() {
        return listName;
    }

    HttpHead head(Transaction txn) {
        return switch (this) {
            case REQUEST -> txn.request();
            case RESPONSE, AFTER_RESPONSE -> txn.response();
            case TCP, TCP_RESPONSE -> null;
        };
    }
}
