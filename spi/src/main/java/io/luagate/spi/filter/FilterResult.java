package io.luagate.spi.filter;

/** What a filter callback tells the stream (HAProxy's {@code filter.CONTINUE/WAIT/ERROR}). */
public enum FilterResult {
    /** This step is done for this filter. */
    CONTINUE,
    /** Call this step again later ({@link FilterInstance#wakeDelayMillis()}); the message waits. */
    WAIT,
    /** Fail the stream: 400 on the request side, 502 on the response side (a closed connection once a response is under way). */
    ERROR
}
