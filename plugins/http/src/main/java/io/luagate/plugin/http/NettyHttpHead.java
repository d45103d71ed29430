package io.luagate.plugin.http;

import io.luagate.spi.http.HttpHead;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link HttpHead} over a Netty message, changed in place. The path and query are split out of
 * the URI once, on first use, and again only after the URI changes.
 */
final class NettyHttpHead implements HttpHead {

    private final HttpMessage message;
    private String path;
    private String query;
    private boolean split;

    NettyHttpHead(HttpMessage message) {
        this.message = message;
    }

    @Override
    public String method() {
        return message instanceof HttpRequest request ? request.method().name() : null;
    }

    @Override
    public void setMethod(String method) {
        if (message instanceof HttpRequest request && !method.isEmpty()) {
            request.setMethod(HttpMethod.valueOf(method));
        }
    }

    @Override
    public String uri() {
        return message instanceof HttpRequest request ? request.uri() : null;
    }

    @Override
    public void setUri(String uri) {
        if (message instanceof HttpRequest request) {
            request.setUri(uri);
            split = false;
        }
    }

    @Override
    public String path() {
        splitUri();
        return path;
    }

    @Override
    public String query() {
        splitUri();
        return query;
    }

    private void splitUri() {
        if (split) {
            return;
        }
        split = true;
        String uri = uri();
        if (uri == null) {
            path = null;
            query = null;
            return;
        }
        int start = 0;
        int scheme = uri.indexOf("://");
        if (scheme > 0 && uri.charAt(0) != '/') {
            int slash = uri.indexOf('/', scheme + 3);
            int mark = uri.indexOf('?', scheme + 3);
            start = slash < 0 ? uri.length() : mark >= 0 && mark < slash ? mark : slash;
        }
        int q = uri.indexOf('?', start);
        path = q < 0 ? uri.substring(start) : uri.substring(start, q);
        query = q < 0 ? null : uri.substring(q + 1);
    }

    @Override
    public String version() {
        return message.protocolVersion().text();
    }

    @Override
    public int status() {
        return message instanceof HttpResponse response ? response.status().code() : 0;
    }

    @Override
    public String reason() {
        return message instanceof HttpResponse response ? response.status().reasonPhrase() : null;
    }

    @Override
    public void setStatus(int status, String reason) {
        if (message instanceof HttpResponse response) {
            response.setStatus(reason == null ? Reasons.status(status) : new HttpResponseStatus(status, reason));
        }
    }

    @Override
    public String header(String name) {
        return message.headers().get(name);
    }

    @Override
    public List<String> headers(String name) {
        return message.headers().getAll(name);
    }

    @Override
    public String lastHeader(String name) {
        // Netty walks one name's values newest first: the first one it gives is the last line.
        var values = message.headers().valueStringIterator(name);
        return values.hasNext() ? values.next() : null;
    }

    @Override
    public void setHeader(String name, String value) {
        message.headers().set(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        message.headers().add(name, value);
    }

    @Override
    public void removeHeader(String name) {
        message.headers().remove(name);
    }

    @Override
    public void forEachHeader(BiConsumer<String, String> action) {
        for (Map.Entry<String, String> header : message.headers()) {
            action.accept(header.getKey(), header.getValue());
        }
    }
}
