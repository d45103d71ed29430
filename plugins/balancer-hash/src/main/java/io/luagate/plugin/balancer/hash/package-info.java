/**
 * {@code balance = source | uri | url_param | hdr | hash <expr>}: a stream's key hashed to a
 * server over a map or a consistent ring (with bounded load), as HAProxy 2.6 does.
 */
package io.luagate.plugin.balancer.hash;
