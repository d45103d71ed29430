/** Event loops, the transport (epoll or NIO), listeners and the connection limit. */
package io.luagate.kernel.net;
