/**
 * The configured proxies (frontends with their listeners, backends with their servers) that
 * plugins work with: read-only settings, counters, and the run-time controls HAProxy offers on
 * them (server weight, address and states; frontend pause, resume and stop).
 */
package io.luagate.spi.proxy;
