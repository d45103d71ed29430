/** {@code balance = roundrobin}: smooth weighted round-robin. */
package io.luagate.plugin.balancer.roundrobin;
