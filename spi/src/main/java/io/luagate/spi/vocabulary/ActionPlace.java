package io.luagate.spi.vocabulary;

/**
 * The rule lists an action may appear in (HAProxy's {@code http-req}, {@code http-res},
 * {@code tcp-req}, {@code tcp-res}).
 */
public enum ActionPlace {
    HTTP_REQUEST,
    HTTP_RESPONSE,
    TCP_REQUEST,
    /** {@code tcp-response content} rules of TCP backends. */
    TCP_RESPONSE
}
