package io.luagate.kernel.rule.action;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Transaction;

/**
 * Which rule list an action is in: {@code http-request} (works on the request),
 * {@code http-response} (the response), {@code tcp-request content} or
 * {@code tcp-response content} (no HTTP message).
 */
public enum Side {
    REQUEST("http-request"),
    RESPONSE("http-response"),
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
            case RESPONSE -> txn.response();
            case TCP, TCP_RESPONSE -> null;
        };
    }
}
