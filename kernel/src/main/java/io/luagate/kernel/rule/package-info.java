/** Rules in HAProxy's syntax, compiled once at load into {@link io.luagate.spi.rule.Action}s. */
package io.luagate.kernel.rule;
