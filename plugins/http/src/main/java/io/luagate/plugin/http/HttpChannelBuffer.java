package io.luagate.plugin.http;

import io.luagate.spi.rule.ChannelBuffer;

/**
 * {@code txn.req} / {@code txn.res} of an HTTP stream. As in HAProxy, HTTP channels cannot be
 * read or changed byte by byte: only their lengths and state are answered, and every byte
 * operation throws with {@link ChannelBuffer#HTTP_MODE}.
 *
 * <p>Input is the request body held back for the rules ({@code http-buffer-request}), 0 otherwise;
 * HAProxy also counts the head, in its internal form, which has no equivalent here. The response
 * side holds nothing: its body streams.
 */
final class HttpChannelBuffer implements ChannelBuffer {

    private final HttpExchange exchange;
    private final boolean response;

    HttpChannelBuffer(HttpExchange exchange, boolean response) {
        this.exchange = exchange;
        this.response = response;
    }

    @Override
    public boolean isResponse() {
        return response;
    }

    @Override
    public boolean rawAccess() {
        return false;
    }

    @Override
    public int input() {
        if (response) {
            return 0;
        }
        byte[] body = exchange.requestBody();
        return body == null ? 0 : body.length;
    }

    @Override
    public int output() {
        return 0;
    }

    @Override
    public boolean mayReceive() {
        // The request side until its last byte arrived; the response side while the stream lasts.
        return response ? !exchange.stream().ended() : !exchange.requestComplete() && !isFull();
    }

    @Override
    public boolean isFull() {
        return !response && input() >= exchange.stream().session().frontend().bufferSize();
    }

    @Override
    public boolean moreMayCome() {
        return false;
    }

    @Override
    public void onChange(Runnable task) {
        throw refused();
    }

    @Override
    public byte[] read(int offset, int length) {
        throw refused();
    }

    @Override
    public int set(int offset, int length, byte[] data) {
        throw refused();
    }

    @Override
    public int remove(int offset, int length) {
        throw refused();
    }

    @Override
    public int send(byte[] data) {
        throw refused();
    }

    @Override
    public int forward(int length) {
        throw refused();
    }

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException(HTTP_MODE);
    }
}
