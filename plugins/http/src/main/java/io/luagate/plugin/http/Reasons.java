package io.luagate.plugin.http;

import io.luagate.spi.http.HttpReasons;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Reason phrases for statuses the proxy writes itself (replies, set-status): the standard phrase
 * where there is one, else HAProxy's ({@link HttpReasons}: its own phrase or the status class's,
 * "Success", "Client Error"...) rather than Netty's "Client Error (418)".
 */
final class Reasons {

    private Reasons() {
    }

    static HttpResponseStatus status(int code) {
        HttpResponseStatus known = HttpResponseStatus.valueOf(code);
        String phrase = known.reasonPhrase();
        if (!phrase.endsWith("(" + code + ")")) {
            return known;
        }
        return new HttpResponseStatus(code, HttpReasons.of(code));
    }
}
