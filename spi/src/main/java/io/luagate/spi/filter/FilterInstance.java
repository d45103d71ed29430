package io.luagate.spi.filter;

import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.Transaction;

/**
 * One filter on one stream. Every callback runs on the stream's event loop, to completion (none
 * may wait on I/O); a step that must wait returns {@link FilterResult#WAIT} and is called again.
 * Instances of a stream run in configuration order: the frontend's, then the backend's. HTTP
 * streams use the {@code http*} callbacks, TCP streams {@link #tcpPayload}.
 */
public interface FilterInstance {

    /** The analysis of one direction starts (the request at attach, the response when its head arrives). */
    default FilterResult startAnalyze(Transaction txn, boolean response) {
        return FilterResult.CONTINUE;
    }

    /** A message's head, after the rules of its direction ran, just before it leaves. */
    default FilterResult httpHeaders(Transaction txn, HttpMessage message) {
        return FilterResult.CONTINUE;
    }

    /** Whether this instance sees the body of that direction (HAProxy's {@code register_data_filter}); read after each callback. */
    default boolean wantsPayload(boolean response) {
        return false;
    }

    /**
     * A part of the body passes, when {@link #wantsPayload} holds for its direction; a message
     * without a body passes its empty end once, as in HAProxy (its length cannot change).
     * {@link FilterResult#WAIT} counts as CONTINUE here.
     */
    default FilterResult httpPayload(Transaction txn, HttpMessage message) {
        return FilterResult.CONTINUE;
    }

    /**
     * TCP mode: bytes pass on their way to the peer ({@code data}: the server for the request
     * direction, the client for the response), only when {@link #wantsPayload} holds for their
     * direction. {@code data} is valid during the call only; its length may change.
     * {@link FilterResult#WAIT} counts as CONTINUE here; ERROR closes both connections.
     */
    default FilterResult tcpPayload(Transaction txn, ChannelBuffer data) {
        return FilterResult.CONTINUE;
    }

    /** The message's end passes. */
    default FilterResult httpEnd(Transaction txn, HttpMessage message) {
        return FilterResult.CONTINUE;
    }

    /** The analysis of one direction ends; also called for a started direction when the stream ends early. */
    default FilterResult endAnalyze(Transaction txn, boolean response) {
        return FilterResult.CONTINUE;
    }

    /** How long to wait before a step that returned {@link FilterResult#WAIT} runs again, in ms. */
    default long wakeDelayMillis() {
        return 1;
    }

    /** The stream ended: the instance is dropped. */
    default void detach() {
    }
}
