/** Services: components that answer requests themselves ({@code use-service <name>}), as HAProxy's applets. */
package io.luagate.spi.service;
