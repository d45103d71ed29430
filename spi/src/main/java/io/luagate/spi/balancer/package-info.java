/** Load-balancing algorithms, selected by a backend's {@code balance} key. */
package io.luagate.spi.balancer;
