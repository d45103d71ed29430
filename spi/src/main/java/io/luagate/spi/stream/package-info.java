/** The stream lifecycle as codecs see it: sessions, streams, upstream connections and their outcome. */
package io.luagate.spi.stream;
