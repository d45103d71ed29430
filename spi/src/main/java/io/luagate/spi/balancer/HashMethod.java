package io.luagate.spi.balancer;

/**
 * How a hash picks a server (the first word of HAProxy's {@code hash-type}): over a map of the
 * usable servers, or over a ring of points.
 */
public enum HashMethod {

    /**
     * HAProxy's default: the hash modulo the total weight of the usable servers picks a slot of a
     * map where each server holds as many slots as its weight. Cheap and even, but a server going
     * down or up moves most keys.
     */
    MAP_BASED,

    /**
     * A ring of points, as many per server as its weight; a key goes to the nearest point. A server
     * going down or up moves only the keys that were (or will be) its own, about 1/N of them.
     */
    CONSISTENT
}
