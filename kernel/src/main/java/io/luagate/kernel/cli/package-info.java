/** The {@code luagate} command line: run, check, plugins, version, import-haproxy. */
package io.luagate.kernel.cli;
