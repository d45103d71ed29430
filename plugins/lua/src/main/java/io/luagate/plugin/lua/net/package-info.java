/**
 * The network side of HAProxy's Lua classes {@code Socket} ({@code core.tcp()}) and
 * {@code HTTPClient} ({@code core.httpclient()}): Netty channels made on the Lua call's own event
 * loop, waits that suspend the call instead of blocking, buffers released on every path.
 */
package io.luagate.plugin.lua.net;
