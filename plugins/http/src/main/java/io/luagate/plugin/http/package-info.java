/** HTTP/1.1 on both sides of the proxy: keep-alive, pipelining, streamed bodies, Upgrade tunnels. */
package io.luagate.plugin.http;
