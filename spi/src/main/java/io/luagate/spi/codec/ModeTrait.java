package io.luagate.spi.codec;

/**
 * What the kernel must know about a {@link Mode} beyond its name, declared by the codec that
 * serves it. The kernel never compares mode names with a literal: it asks for a trait.
 */
public enum ModeTrait {

    /**
     * Streams carry HTTP requests and responses: the access log takes HAProxy's {@code httplog}
     * shape, status counters count each stream, and a stream that ended between connect and the
     * response head ended in the headers phase ({@code H}) rather than the data phase.
     */
    HTTP_MESSAGES,

    /**
     * The codec runs {@code tcp-request content} rules (frontends) and {@code tcp-response
     * content} rules (backends); proxies of a mode without it refuse those keys at start.
     */
    CONTENT_RULES,

    /**
     * An upstream connection outlives its stream and may serve the next one: {@code http-reuse}
     * applies, and any setting other than {@code never} needs the upstream-pool plugin.
     */
    CONNECTION_REUSE
}
