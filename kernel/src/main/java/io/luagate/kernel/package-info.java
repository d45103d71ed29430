/** The luagate kernel: boot, wiring and the running proxy. */
package io.luagate.kernel;
