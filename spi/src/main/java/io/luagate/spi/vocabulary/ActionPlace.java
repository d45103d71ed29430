package io.luagate.spi.vocabulary;

/** The rule lists an action may appear in (HAProxy's {@code http-req}, {@code http-res}, {@code tcp-req}). */
public enum ActionPlace {
    HTTP_REQUEST,
    HTTP_RESPONSE,
    TCP_REQUEST
}
