/** Traffic counters of frontends, backends and servers, and their Prometheus exposition. */
package io.luagate.kernel.metrics;
