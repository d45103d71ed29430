/** A codec-neutral view of HTTP messages for rules and scripts. */
package io.luagate.spi.http;
