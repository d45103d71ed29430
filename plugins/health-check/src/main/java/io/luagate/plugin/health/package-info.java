/**
 * The health-check plugin: HAProxy's active checks (a TCP connect, or an HTTP request with
 * {@code http-check expect} rules) and passive ones ({@code observe}), one checker per server for
 * the whole process, publishing each server's state through the SPI and logging its transitions.
 */
package io.luagate.plugin.health;
