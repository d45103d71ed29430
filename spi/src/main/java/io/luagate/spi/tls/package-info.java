/**
 * TLS on a frontend's binds and toward servers: the extension point a TLS plugin implements ({@link
 * io.luagate.spi.tls.TlsTerminator}), what it compiles a server's settings to ({@link
 * io.luagate.spi.tls.TlsOrigin}) and the facts of one TLS connection it leaves on the channel
 * for fetches and scripts ({@link io.luagate.spi.tls.TlsSession}).
 */
package io.luagate.spi.tls;
