/** {@code balance = leastconn}: the fewest current streams relative to weight, as HAProxy. */
package io.luagate.plugin.balancer.leastconn;
