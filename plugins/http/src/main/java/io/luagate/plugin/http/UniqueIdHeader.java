package io.luagate.plugin.http;

import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.stream.Stream;
import io.netty.handler.codec.http.HttpRequest;

/**
 * HAProxy's step 8 of {@code http_process_request}: once the request's rules have run, the
 * stream's unique id is made (if the frontend has a {@code unique-id-format}) and, with a
 * {@code unique-id-header}, appended to the request as the last header so far.
 */
final class UniqueIdHeader {

    private UniqueIdHeader() {
    }

    static void add(Stream stream, Frontend frontend, HttpRequest request) {
        String id = stream.uniqueId();
        String header = frontend.uniqueIdHeader();
        if (id != null && header != null) {
            request.headers().add(header, id);
        }
    }
}
