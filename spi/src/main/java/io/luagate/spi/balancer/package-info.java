/**
 * Load-balancing algorithms, selected by a backend's {@code balance} key: the factory a plugin
 * provides, the per-loop balancer it makes, and the backend facts (arguments, hashing options,
 * servers, a per-stream key) the kernel gives it.
 */
package io.luagate.spi.balancer;
