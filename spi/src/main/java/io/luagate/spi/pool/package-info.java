/** Upstream connection pools: idle connections kept for reuse, keyed by full destination identity. */
package io.luagate.spi.pool;
