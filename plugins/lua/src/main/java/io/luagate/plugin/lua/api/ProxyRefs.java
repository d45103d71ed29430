package io.luagate.plugin.lua.api;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Listener;
import io.luagate.spi.proxy.Server;

/**
 * What the Proxy, Server and Listener objects of a Lua state point to: the kernel's object and
 * the numbers HAProxy gives it (which the kernel does not keep), fixed when the tables are made.
 */
final class ProxyRefs {

    private ProxyRefs() {
    }

    /**
     * A frontend, a backend, or both (a listen section).
     *
     * @param uuid HAProxy's proxy id: frontends then backends, from 1, in configuration order
     */
    record ProxyRef(Frontend frontend, Backend backend, int uuid) {

        String name() {
            return frontend != null ? frontend.name() : backend.name();
        }

        String mode() {
            return frontend != null ? frontend.mode() : backend.mode();
        }
    }

    /**
     * A server of a backend.
     *
     * @param puid HAProxy's server id in its backend: from 1, in configuration order
     */
    record ServerRef(Server server, ProxyRef backend, int puid) {
    }

    /**
     * A bind entry of a frontend.
     *
     * @param name HAProxy's name for an unnamed bind: {@code sock-1}, {@code sock-2}...
     * @param luid its number in the frontend, from 1
     */
    record ListenerRef(Listener listener, ProxyRef frontend, String name, int luid) {
    }
}
