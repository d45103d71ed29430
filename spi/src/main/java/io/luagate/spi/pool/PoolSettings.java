package io.luagate.spi.pool;

/**
 * A backend's pool settings.
 *
 * @param maxIdlePerKey     idle connections kept per destination key; more are closed
 * @param idleTimeoutMillis how long an idle connection is kept
 */
public record PoolSettings(int maxIdlePerKey, long idleTimeoutMillis) {
}
