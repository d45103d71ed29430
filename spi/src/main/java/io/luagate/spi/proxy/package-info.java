/** Read-only views of the configured proxies (frontends, backends, servers) that plugins work with. */
package io.luagate.spi.proxy;
