/** HTTP/1.1 on both sides of the proxy and HTTP/2 from clients: keep-alive, pipelining, streamed bodies, Upgrade tunnels. */
package io.luagate.plugin.http;
