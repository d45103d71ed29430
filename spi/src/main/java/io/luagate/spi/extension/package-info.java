/** Plugins that extend the kernel as a whole: script engines, admin APIs. */
package io.luagate.spi.extension;
