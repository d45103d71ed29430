package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.api.ProxyRefs.ListenerRef;
import io.luagate.plugin.lua.api.ProxyRefs.ProxyRef;
import io.luagate.plugin.lua.api.ProxyRefs.ServerRef;
import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.TrafficStats;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The tables {@code get_stats()} returns: keyed by HAProxy's stats field names ({@code show stat}),
 * holding only the fields luagate really has a value for; HAProxy leaves a field it does not fill
 * for an object out of the table the same way. Values are computed as HAProxy 2.6's
 * {@code stats_fill_*_stats} compute them from luagate's counters and states.
 */
final class StatsTables {

    /** HAProxy's {@code type} field values. */
    private static final int TYPE_FRONTEND = 0;
    private static final int TYPE_BACKEND = 1;
    private static final int TYPE_SERVER = 2;
    private static final int TYPE_LISTENER = 3;

    private StatsTables() {
    }

    static LuaTable frontend(ProxyRef px) {
        TrafficStats s = px.frontend().stats();
        LuaTable t = common(px, "FRONTEND", TYPE_FRONTEND, 0);
        t.set("scur", number(s.currentSessions()));
        t.set("stot", number(s.totalSessions()));
        t.set("conn_tot", number(s.totalSessions()));
        t.set("bin", number(s.bytesIn()));
        t.set("bout", number(s.bytesOut()));
        t.set("ereq", number(s.requestErrors()));
        t.set("req_tot", number(s.httpRequests()));
        t.set("status", px.frontend().stopped() ? "STOP" : "OPEN");
        responses(t, px, s);
        return t;
    }

    static LuaTable backend(ProxyRef px) {
        TrafficStats s = px.backend().stats();
        LuaTable t = common(px, "BACKEND", TYPE_BACKEND, 0);
        sessions(t, s);
        // HAProxy's srv_act and srv_bck: the usable servers of each kind. The weight is the active
        // servers' while one is usable, else the one backup that serves (no "option allbackups").
        int active = 0;
        int backups = 0;
        long weights = 0;
        long backupWeight = 0;
        for (Server server : px.backend().servers()) {
            int weight = server.weight();
            if (server.isUp() && weight > 0) {
                if (!server.isBackup()) {
                    active++;
                    weights += weight;
                } else if (backups++ == 0) {
                    backupWeight = weight;
                }
            }
        }
        if (active == 0) {
            weights = backupWeight;
        }
        t.set("status", weights > 0 || px.backend().servers().isEmpty() ? "UP" : "DOWN");
        t.set("act", number(active));
        t.set("bck", number(backups));
        t.set("weight", number(weights));
        t.set("uweight", number(weights));
        if (px.mode().equals("http")) {
            t.set("req_tot", number(s.httpRequests()));
        }
        responses(t, px, s);
        return t;
    }

    static LuaTable server(ServerRef ref) {
        Server server = ref.server();
        TrafficStats s = server.stats();
        LuaTable t = common(ref.backend(), server.name(), TYPE_SERVER, ref.puid());
        sessions(t, s);
        t.set("status", server.status());
        if (server.lastChangeMillis() > 0) {
            // 0: a server that keeps no such time (not the kernel's).
            t.set("lastchg", number(Math.max(0, System.currentTimeMillis() - server.lastChangeMillis()) / 1000));
        }
        check(t, server);
        int weight = server.weight();
        t.set("weight", number(server.admin() == ServerAdmin.DRAIN ? 0 : weight));
        t.set("uweight", number(weight));
        t.set("act", number(server.isBackup() ? 0 : 1));
        t.set("bck", number(server.isBackup() ? 1 : 0));
        t.set("addr", statsAddress(server.address()));
        if (ref.backend().mode().equals("http")) {
            t.set("req_tot", number(s.httpRequests()));
        }
        responses(t, ref.backend(), s);
        return t;
    }

    /** luagate counts no traffic per listener (HAProxy does only with {@code option socket-stats}). */
    static LuaTable listener(ListenerRef ref) {
        LuaTable t = common(ref.frontend(), ref.name(), TYPE_LISTENER, ref.luid());
        t.set("status", ref.listener().limited() ? "WAITING" : "OPEN");
        t.set("addr", statsAddress(ref.listener().address()));
        return t;
    }

    /**
     * The check fields of a checked server, as HAProxy 2.6 fills them: the last check's status
     * (after "* " while one runs), its description and info ({@code last_chk}), its code for the
     * statuses that read one, its duration once one ran, the counter with rise and fall, the
     * failed checks, the DOWN transitions and the seconds spent DOWN.
     */
    private static void check(LuaTable t, Server server) {
        ServerCheckState check = server.checkState();
        if (!check.checked()) {
            return;
        }
        CheckResult last = check.last();
        t.set("check_status", check.statusField());
        t.set("check_desc", last.status().description());
        t.set("last_chk", last.info());
        if (last.hasCode()) {
            t.set("check_code", number(last.code()));
        }
        if (last.durationMillis() >= 0) {
            t.set("check_duration", number(last.durationMillis()));
        }
        t.set("check_rise", number(check.rise()));
        t.set("check_fall", number(check.fall()));
        t.set("check_health", number(check.health()));
        t.set("chkfail", number(check.failedChecks()));
        t.set("chkdown", number(server.downTransitions()));
        t.set("downtime", number(server.downtimeMillis() / 1000));
    }

    private static LuaTable common(ProxyRef px, String svname, int type, int sid) {
        LuaTable t = new LuaTable();
        t.set("pxname", px.name());
        t.set("svname", svname);
        t.set("mode", px.mode());
        t.set("pid", number(1));
        t.set("iid", number(px.uuid()));
        t.set("sid", number(sid));
        t.set("type", number(type));
        return t;
    }

    private static void sessions(LuaTable t, TrafficStats s) {
        t.set("scur", number(s.currentSessions()));
        t.set("stot", number(s.totalSessions()));
        t.set("bin", number(s.bytesIn()));
        t.set("bout", number(s.bytesOut()));
        t.set("econ", number(s.connectErrors()));
        t.set("eresp", number(s.responseErrors()));
    }

    /** The response classes exist in HTTP mode only, as in HAProxy. */
    private static void responses(LuaTable t, ProxyRef px, TrafficStats s) {
        if (!px.mode().equals("http")) {
            return;
        }
        t.set("hrsp_1xx", number(s.http1xx()));
        t.set("hrsp_2xx", number(s.http2xx()));
        t.set("hrsp_3xx", number(s.http3xx()));
        t.set("hrsp_4xx", number(s.http4xx()));
        t.set("hrsp_5xx", number(s.http5xx()));
        t.set("hrsp_other", number(s.httpOther()));
    }

    /** The stats' {@code addr}: "ip:port", "[ipv6]:port". */
    static String statsAddress(InetSocketAddress address) {
        String host = NetUtil.toAddressString(address.getAddress());
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static LuaValue number(long n) {
        return n == (int) n ? LuaValue.valueOf((int) n) : LuaValue.valueOf((double) n);
    }
}
