package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.api.ProxyRefs.ListenerRef;
import io.luagate.plugin.lua.api.ProxyRefs.ProxyRef;
import io.luagate.plugin.lua.api.ProxyRefs.ServerRef;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Listener;
import io.luagate.spi.proxy.Server;
import java.util.List;
import java.util.function.Consumer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * HAProxy 2.6's Proxy and Listener classes (and, through {@link ServerClass}, Server) for one
 * state, and the {@code core.frontends}, {@code core.backends} and {@code core.proxies} tables of
 * them, made once luagate runs. The objects are views of the live kernel objects: counters and
 * states are read when a method is called.
 */
final class ProxyClasses {

    private final LuaClass proxies = new LuaClass("Proxy", ProxyRef.class);
    private final LuaClass listeners = new LuaClass("Listener", ListenerRef.class);
    private final ServerClass servers = new ServerClass();

    private ProxyClasses() {
        proxies.<ProxyRef>method("get_name", (p, a) -> LuaValue.valueOf(p.name()))
                .<ProxyRef>method("get_uuid", (p, a) -> LuaValue.valueOf(Integer.toString(p.uuid())))
                .<ProxyRef>method("get_cap", (p, a) -> LuaValue.valueOf(p.frontend() == null ? "backend"
                        : p.backend() == null ? "frontend" : "proxy"))
                .<ProxyRef>method("get_mode", (p, a) -> LuaValue.valueOf(p.mode()))
                // HAProxy fills a proxy with a backend part (a listen section too) as a backend.
                .<ProxyRef>method("get_stats", (p, a) -> p.backend() != null ? StatsTables.backend(p) : StatsTables.frontend(p))
                // HAProxy pauses and resumes only listeners: on a backend these do nothing.
                .<ProxyRef>method("pause", (p, a) -> frontendOnly(p, Frontend::pause))
                .<ProxyRef>method("resume", (p, a) -> frontendOnly(p, Frontend::resume))
                .<ProxyRef>method("stop", (p, a) -> {
                    if (p.frontend() == null) {
                        throw new LuaError("stop: stopping a backend is not supported by luagate (only frontends can be stopped)");
                    }
                    p.frontend().stop();
                    return LuaValue.NONE;
                })
                // HAProxy's srv_shutdown_backup_streams(): the streams every backup server serves.
                .<ProxyRef>method("shut_bcksess", (p, a) -> {
                    if (p.backend() != null) {
                        for (var server : p.backend().servers()) {
                            if (server.isBackup()) {
                                server.shutdownStreams();
                            }
                        }
                    }
                    return LuaValue.NONE;
                });
        listeners.<ListenerRef>method("get_stats", (l, a) -> StatsTables.listener(l));
    }

    /**
     * Fills {@code core.frontends}, {@code core.backends} and {@code core.proxies}. Proxies are
     * numbered ({@code uuid}) from 1, frontends first, then backends, each in configuration order
     * (HAProxy numbers them in one configuration order, which luagate's two lists do not keep).
     * A frontend and a backend of the same name are one proxy, as the {@code listen} section they
     * stand for is in HAProxy. As there, each table holds its own object for a proxy, and the
     * tables exist from now on only (nil in a script's body).
     */
    static void fill(LuaTable core, ExtensionRuntime runtime) {
        new ProxyClasses().fillTables(core, runtime);
    }

    private void fillTables(LuaTable core, ExtensionRuntime runtime) {
        LuaTable all = new LuaTable();
        LuaTable frontends = new LuaTable();
        LuaTable backends = new LuaTable();
        core.set("proxies", all);
        core.set("frontends", frontends);
        core.set("backends", backends);
        int uuid = 0;
        for (Frontend frontend : runtime.frontends().values()) {
            Backend listen = runtime.backends().get(frontend.name());
            ProxyRef ref = new ProxyRef(frontend, listen, ++uuid);
            frontends.set(frontend.name(), proxy(ref));
            all.set(frontend.name(), proxy(ref));
            if (listen != null) {
                backends.set(listen.name(), proxy(ref));
            }
        }
        for (Backend backend : runtime.backends().values()) {
            if (runtime.frontends().containsKey(backend.name())) {
                continue;
            }
            ProxyRef ref = new ProxyRef(null, backend, ++uuid);
            backends.set(backend.name(), proxy(ref));
            all.set(backend.name(), proxy(ref));
        }
    }

    /** A Proxy object: HAProxy's table with {@code name}, {@code uuid} (a string), {@code servers} and {@code listeners}. */
    private LuaTable proxy(ProxyRef ref) {
        LuaTable px = proxies.wrap(ref);
        px.rawset("name", LuaValue.valueOf(ref.name()));
        px.rawset("uuid", LuaValue.valueOf(Integer.toString(ref.uuid())));
        LuaTable serverTable = new LuaTable();
        if (ref.backend() != null) {
            int puid = 0;
            for (Server server : ref.backend().servers()) {
                serverTable.set(server.name(), servers.wrap(new ServerRef(server, ref, ++puid)));
            }
        }
        px.rawset("servers", serverTable);
        LuaTable listenerTable = new LuaTable();
        if (ref.frontend() != null) {
            List<? extends Listener> binds = ref.frontend().listeners();
            for (int i = 0; i < binds.size(); i++) {
                String name = "sock-" + (i + 1);
                listenerTable.set(name, listeners.wrap(new ListenerRef(binds.get(i), ref, name, i + 1)));
            }
        }
        px.rawset("listeners", listenerTable);
        return px;
    }

    private static Varargs frontendOnly(ProxyRef proxy, Consumer<Frontend> action) {
        if (proxy.frontend() != null) {
            action.accept(proxy.frontend());
        }
        return LuaValue.NONE;
    }
}
