package io.luagate.spi.rule;

import io.luagate.spi.stream.Stream;

/** What an action may do to the request or response in progress. Implemented by codecs. */
public interface Transaction {

    Stream stream();

    /** Answers the client with {@code reply} instead of forwarding the request. */
    void reply(HttpReply reply);
}
