package io.luagate.plugin.http;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.stream.Stream;

/**
 * The transaction of a request that could not be parsed (400, 414, 431): there is no request to
 * see, only the error page the frontend's {@code http-after-response} rules may still rewrite.
 */
final class UnparsedTransaction implements Transaction {

    private final Stream stream;
    private final HttpHead response;

    UnparsedTransaction(Stream stream, HttpHead response) {
        this.stream = stream;
        this.response = response;
    }

    @Override
    public Stream stream() {
        return stream;
    }

    @Override
    public void reply(HttpReply reply) {
        throw new IllegalStateException("the error page is the answer already");
    }

    @Override
    public HttpHead request() {
        return null;
    }

    @Override
    public HttpHead response() {
        return response;
    }

    @Override
    public byte[] requestBody() {
        return null;
    }
}
