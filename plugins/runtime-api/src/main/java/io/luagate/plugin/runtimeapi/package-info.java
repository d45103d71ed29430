/**
 * HAProxy's runtime API (the {@code stats socket}): a unix socket and optionally a loopback TCP
 * address served on threads of their own (never on an event loop), the command line protocol
 * (non-interactive and {@code prompt} modes), and the commands luagate supports.
 */
package io.luagate.plugin.runtimeapi;
