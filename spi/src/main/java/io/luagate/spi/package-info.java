/** The extension points of luagate: what a plugin implements and the kernel services it may call. */
package io.luagate.spi;
