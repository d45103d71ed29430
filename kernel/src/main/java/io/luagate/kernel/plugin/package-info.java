/** Plugin loading (PF4J over the plugins directory) with extensions created through Guice. */
package io.luagate.kernel.plugin;
