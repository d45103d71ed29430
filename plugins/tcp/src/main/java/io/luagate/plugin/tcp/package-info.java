/** {@code mode tcp}: each client connection is forwarded, byte for byte, to one upstream connection. */
package io.luagate.plugin.tcp;
