/** Protocol codecs: how a frontend's or backend's {@code mode} turns bytes into streams. */
package io.luagate.spi.codec;
