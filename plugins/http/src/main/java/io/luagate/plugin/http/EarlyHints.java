package io.luagate.plugin.http;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The {@code 103 Early Hints} interim response that {@code http-request early-hint} rules build, a
 * header per rule; the rule that closes the group sends it ({@link ClientPipeline#writeInterim}).
 * HAProxy's bytes: {@code HTTP/1.1 103
 * Early Hints}, header names in lower case.
 */
final class EarlyHints {

    private static final HttpResponseStatus STATUS = new HttpResponseStatus(103, "Early Hints");

    private HttpResponse pending;

    void add(ClientEnd client, String name, String value, boolean last) {
        if (pending == null) {
            pending = new DefaultHttpResponse(HttpVersion.HTTP_1_1, STATUS);
        }
        pending.headers().add(name, value);
        if (last) {
            client.writeInterim(pending);
            pending = null;
        }
    }
}
