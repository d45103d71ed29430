/** The {@code luagate} command line: run, check, plugins, version. */
package io.luagate.kernel.cli;
