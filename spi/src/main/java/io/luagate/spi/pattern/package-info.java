/** The configuration's map and ACL files, for plugins that read or update them at run time. */
package io.luagate.spi.pattern;
