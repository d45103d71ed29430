/**
 * The admin plugin: an HTTP JSON admin API (Envoy's and Caddy's answer to HAProxy's runtime API) on
 * a loopback address, served on threads of its own, with writes behind a bearer token.
 */
package io.luagate.plugin.admin;
