/**
 * Samples: the values rules compute ({@code fetch,converter,...}), as HAProxy defines them.
 * A sample is a {@link java.lang.String} (str), {@link java.lang.Long} (sint), {@link java.lang.Boolean}
 * (bool), {@code byte[]} (bin) or {@link java.net.InetAddress} (ipv4/ipv6); {@code null} means
 * "no sample". {@link io.luagate.spi.sample.Samples} casts between these types as HAProxy does.
 */
package io.luagate.spi.sample;
