package io.luagate.spi.http;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The head of the request or response in progress, as rules and scripts see it and change it.
 * Header names are case-insensitive. Implemented by the HTTP codec over its own message objects;
 * used on the stream's event loop only.
 */
public interface HttpHead {

    /** The request method; {@code null} on a response. */
    String method();

    void setMethod(String method);

    /** The request target as received (origin-form {@code /p?q}, or absolute-form); {@code null} on a response. */
    String uri();

    void setUri(String uri);

    /** The path part of the URI: after the authority, before '?'. */
    String path();

    /** The query string without '?', or {@code null} when the URI has none. */
    String query();

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    String version();

    /** The response status; 0 on a request. */
    int status();

    /** The response's reason phrase as it will be sent; {@code null} on a request. */
    default String reason() {
        return null;
    }

    /** Sets the response status and, if not null, its reason phrase. */
    void setStatus(int status, String reason);

    /** The first line of header {@code name} as received (not split on commas), or {@code null}. */
    String header(String name);

    /** Every line of header {@code name}, in order (not split on commas). */
    List<String> headers(String name);

    /** The last line of header {@code name}, or {@code null}; implementations avoid building a list. */
    default String lastHeader(String name) {
        List<String> lines = headers(name);
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    void setHeader(String name, String value);

    void addHeader(String name, String value);

    void removeHeader(String name);

    /** Every header line in order. */
    void forEachHeader(BiConsumer<String, String> action);
}
