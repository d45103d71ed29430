/**
 * Stream filters ({@code filter <name> [args]} on frontends and backends), HAProxy's filter model:
 * a filter is declared once per configuration line, attaches an instance to each stream, and sees
 * the analysis of each direction start and end, each HTTP head after the rules, the body
 * (when it asks for it), and each message's end; in TCP mode, the bytes on their way to each peer.
 */
package io.luagate.spi.filter;
