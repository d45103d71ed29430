package io.luagate.spi.balancer;

/**
 * The function that turns a key's bytes into a 32-bit hash (the second word of HAProxy's
 * {@code hash-type}), as HAProxy 2.6 computes them in {@code src/hash.c}.
 */
public enum HashFunction {

    /** HAProxy's default: {@code hash = c + (hash << 6) + (hash << 16) - hash} over the bytes. */
    SDBM,

    /** Bernstein's {@code hash * 33 + c}, starting from 5381. */
    DJB2,

    /** Willy Tarreau's wt6, with data-dependent rotations. */
    WT6,

    /** The CRC-32 of the bytes (IEEE polynomial, reflected). */
    CRC32
}
