package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.api.ProxyRefs.ServerRef;
import io.luagate.plugin.lua.lib.LuaArgs;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * HAProxy 2.6's Server class, over the kernel's live server: what a method changes is seen by the
 * next balancer pick on every event loop. Setters return nil on success or HAProxy's error text.
 * luagate has no health checks and no agent checks, so the methods that only switch those checks
 * do nothing, exactly as HAProxy does for a server declared without {@code check} or {@code agent-check};
 * the {@code check_force_*} ones force the server's state, as in HAProxy.
 */
final class ServerClass {

    private final LuaClass servers = new LuaClass("Server", ServerRef.class);

    ServerClass() {
        servers.<ServerRef>method("get_name", (s, a) -> LuaValue.valueOf(s.server().name()))
                .<ServerRef>method("get_puid", (s, a) -> LuaValue.valueOf(Integer.toString(s.puid())))
                .<ServerRef>method("get_addr", (s, a) -> LuaValue.valueOf(address(s.server().address())))
                .<ServerRef>method("get_stats", (s, a) -> StatsTables.server(s))
                .<ServerRef>method("get_weight", (s, a) -> LuaValue.valueOf(s.server().weight()))
                .<ServerRef>method("set_weight", (s, a) -> result(WeightRequest.apply(s.server(),
                        string(a, 1, "set_weight"))))
                // luagate sets no connection limit per server: 0 is HAProxy's "no limit".
                .<ServerRef>method("get_maxconn", (s, a) -> LuaValue.valueOf(0))
                .<ServerRef>method("set_maxconn", (s, a) -> {
                    string(a, 1, "set_maxconn");
                    return LuaValue.valueOf("maxconn is not supported by luagate: servers have no connection limit");
                })
                .<ServerRef>method("set_addr", (s, a) -> LuaValue.valueOf(ServerAddressChange.apply(s.server(),
                        string(a, 1, "set_addr"), a.narg() >= 2 ? string(a, 2, "set_addr") : null)))
                .<ServerRef>method("is_draining", (s, a) -> LuaValue.valueOf(s.server().isDraining() ? 1 : 0))
                .<ServerRef>method("set_drain", (s, a) -> admin(s.server(), ServerAdmin.DRAIN))
                .<ServerRef>method("set_maint", (s, a) -> admin(s.server(), ServerAdmin.MAINT))
                .<ServerRef>method("set_ready", (s, a) -> admin(s.server(), ServerAdmin.READY))
                .<ServerRef>method("shut_sess", (s, a) -> {
                    s.server().shutdownStreams();
                    return LuaValue.NONE;
                })
                .<ServerRef>method("check_force_up", (s, a) -> health(s.server(), ServerHealth.UP))
                .<ServerRef>method("check_force_nolb", (s, a) -> health(s.server(), ServerHealth.NOLB))
                .<ServerRef>method("check_force_down", (s, a) -> health(s.server(), ServerHealth.DOWN));
        for (String check : new String[] {"check_enable", "check_disable", "agent_enable", "agent_disable",
                "agent_force_up", "agent_force_down"}) {
            servers.<ServerRef>method(check, (s, a) -> LuaValue.NONE);
        }
    }

    /** A new Server object: HAProxy's table with {@code name} and {@code puid} (a string). */
    LuaTable wrap(ServerRef ref) {
        LuaTable server = servers.wrap(ref);
        server.rawset("name", LuaValue.valueOf(ref.server().name()));
        server.rawset("puid", LuaValue.valueOf(Integer.toString(ref.puid())));
        return server;
    }

    /** HAProxy's {@code get_addr}: "ip:port", an IPv6 address without brackets. */
    static String address(InetSocketAddress address) {
        return NetUtil.toAddressString(address.getAddress()) + ":" + address.getPort();
    }

    private static Varargs admin(Server server, ServerAdmin admin) {
        server.setAdmin(admin);
        return LuaValue.NONE;
    }

    private static Varargs health(Server server, ServerHealth health) {
        server.forceHealth(health);
        return LuaValue.NONE;
    }

    private static LuaValue result(String error) {
        return error == null ? LuaValue.NIL : LuaValue.valueOf(error);
    }

    /**
     * Argument {@code index} after {@code self} as a string (numbers converted), as HAProxy's
     * luaL_checkstring; errors number the arguments of a method call ({@code s:set_weight()}: #1).
     */
    private static String string(Varargs args, int index, String method) {
        return Values.text(LuaArgs.checkString(args, index, method));
    }
}
