/** The running frontends, backends and servers built from the settings, with their per-loop state. */
package io.luagate.kernel.proxy;
