/** Upstream keep-alive pools: one per backend and event loop, keyed by full destination identity. */
package io.luagate.plugin.pool;
