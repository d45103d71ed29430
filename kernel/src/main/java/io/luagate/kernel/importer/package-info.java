/** {@code luagate import-haproxy}: translates an HAProxy 2.6 configuration into luagate's HOCON. */
package io.luagate.kernel.importer;
