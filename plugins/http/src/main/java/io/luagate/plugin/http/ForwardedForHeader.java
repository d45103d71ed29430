package io.luagate.plugin.http;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.ForwardFor;
import io.luagate.spi.proxy.Frontend;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;

/**
 * HAProxy's step 9 of {@code http_process_request}: {@code option forwardfor} of the frontend or
 * the backend appends the client address (see {@link ForwardFor} for whose name and exceptions).
 */
final class ForwardedForHeader {

    private ForwardedForHeader() {
    }

    static void add(InetAddress client, Frontend frontend, Backend backend, HttpRequest request) {
        add(client, frontend.forwardForOption(), backend.forwardForOption(), request);
    }

    /** {@code fe}, {@code be}: the frontend's and the backend's option, null where it has none. */
    static void add(InetAddress client, ForwardFor fe, ForwardFor be, HttpRequest request) {
        if (fe == null && be == null) {
            return;
        }
        String header = be != null ? be.header() : fe.header();
        boolean always = fe != null && !fe.ifNone() || be != null && !be.ifNone();
        if (!always && request.headers().contains(header)) {
            return;
        }
        if (fe != null && fe.excepts(client) || be != null && be.excepts(client)) {
            return;
        }
        request.headers().add(header, io.luagate.spi.sample.IpText.format(client.getAddress()));
    }
}
