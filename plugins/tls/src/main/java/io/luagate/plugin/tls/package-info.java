/**
 * The tls plugin: TLS termination on frontend binds ({@code ssl = true}), with certificates chosen
 * by SNI, client certificates, protocol and cipher limits and ALPN, on OpenSSL (BoringSSL) or the
 * JDK's engine.
 */
package io.luagate.plugin.tls;
