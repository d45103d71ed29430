/** The stream lifecycle: sessions, streams, upstream connects with retries and reuse, tunnels. */
package io.luagate.kernel.stream;
