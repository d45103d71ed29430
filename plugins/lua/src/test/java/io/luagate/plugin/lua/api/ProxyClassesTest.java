package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.NoPatterns;
import io.luagate.plugin.lua.engine.NoSamples;
import io.luagate.plugin.lua.engine.TestRuntime;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.proxy.Listener;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.luagate.spi.proxy.TrafficStats;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/**
 * HAProxy's Proxy, Server and Listener classes driven by Lua scripts through a real engine, over
 * proxies that keep state as the SPI describes it: what the scripts read, what their calls change,
 * and the values and messages HAProxy 2.6 gives.
 */
class ProxyClassesTest {

    @TempDir
    Path home;

    private final EventLoop loop = new DefaultEventLoop();
    private final TestFrontend fe = new TestFrontend("fe", "http", List.of(
            new TestListener(new InetSocketAddress("127.0.0.1", 8080)),
            new TestListener(new InetSocketAddress("::1", 8443))));
    private final TestServer a = new TestServer("a", new InetSocketAddress("127.0.0.1", 9001), 10);
    private final TestServer b = new TestServer("b", new InetSocketAddress("::1", 9002), 1);
    private final TestBackend app = new TestBackend("app", "http", List.of(a, b));
    private final TestBackend raw = new TestBackend("raw", "tcp", List.of());

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Loads {@code script} in the shared state, starts it over the test proxies, and runs its fetch {@code name}. */
    private String run(String script, String name) throws Exception {
        Map<String, Frontend> frontends = new LinkedHashMap<>();
        frontends.put("fe", fe);
        frontends.put("other", new TestFrontend("other", "tcp", List.of()));
        Map<String, Backend> backends = new LinkedHashMap<>();
        backends.put("app", app);
        backends.put("raw", raw);
        return run(script, name, frontends, backends);
    }

    private String run(String script, String name, Map<String, Frontend> frontends, Map<String, Backend> backends)
            throws Exception {
        Files.writeString(home.resolve("proxies.lua"), script);
        LuaEngine engine = new LuaEngine(new LuaSettings(List.of("proxies.lua"), List.of(), List.of(), 10_000,
                2_000_000_000L, 2_000_000_000L, 0, 0, 0), home, new NoPatterns(), new NoSamples(), 1);
        assertEquals(List.of(), engine.problems());
        engine.start(new TestRuntime(List.of(loop), frontends, backends));
        LuaState state = engine.sharedState();
        LuaCall.Outcome outcome = loop.submit(() -> new LuaCall(state, name, false, 2_000_000_000L, loop)
                .invoke(state.registrations().fetches.get(name), LuaValue.NONE)).get(10, TimeUnit.SECONDS);
        if (outcome.failed()) {
            return "error: " + outcome.error();
        }
        return outcome.values().arg1().tojstring();
    }

    @Test
    void proxiesServersAndListenersLookAsInHaproxy() throws Exception {
        String result = run("""
                core.register_fetches("check", function()
                  local fe, app = core.frontends.fe, core.backends.app
                  assert(type(fe) == "table" and tostring(fe) == "HAProxy class Proxy", tostring(fe))
                  -- one object per table, as in HAProxy
                  assert(core.proxies.fe ~= fe and core.proxies.fe.name == "fe" and core.proxies.app.name == "app")
                  assert(fe.name == "fe" and fe:get_name() == "fe")
                  assert(fe.uuid == "1" and fe:get_uuid() == "1", fe.uuid)
                  assert(core.frontends.other.uuid == "2" and app.uuid == "3" and core.backends.raw.uuid == "4")
                  assert(fe:get_cap() == "frontend" and app:get_cap() == "backend")
                  assert(fe:get_mode() == "http" and core.backends.raw:get_mode() == "tcp")
                  assert(next(fe.servers) == nil and next(app.listeners) == nil)
                  local names = {}
                  for name, ls in pairs(fe.listeners) do
                    names[#names + 1] = name
                    assert(tostring(ls) == "HAProxy class Listener", tostring(ls))
                  end
                  table.sort(names)
                  assert(table.concat(names, ",") == "sock-1,sock-2", table.concat(names, ","))
                  local a, b = app.servers.a, app.servers.b
                  assert(tostring(a) == "HAProxy class Server", tostring(a))
                  assert(a.name == "a" and a:get_name() == "a" and b.name == "b")
                  assert(a.puid == "1" and a:get_puid() == "1" and b.puid == "2", a.puid)
                  assert(a:get_addr() == "127.0.0.1:9001", a:get_addr())
                  assert(b:get_addr() == "::1:9002", b:get_addr())
                  assert(a:get_weight() == 10 and a:get_maxconn() == 0)
                  local ok, err = pcall(a.get_weight, fe)
                  assert(not ok and err:match("bad argument #1 to 'get_weight' %(Server expected"), err)
                  ok, err = pcall(fe.get_cap, a)
                  assert(not ok and err:match("Proxy expected"), err)
                  return "ok"
                end)
                """, "check");
        assertEquals("ok", result);
    }

    /** A frontend and a backend of one name stand for a listen section: one proxy with both capabilities. */
    @Test
    void aListenSectionIsOneProxy() throws Exception {
        Map<String, Frontend> frontends = new LinkedHashMap<>();
        frontends.put("fe", fe);
        frontends.put("app", new TestFrontend("app", "http", List.of(new TestListener(new InetSocketAddress("127.0.0.1", 8081)))));
        Map<String, Backend> backends = new LinkedHashMap<>();
        backends.put("app", app);
        backends.put("raw", raw);
        String result = run("""
                core.register_fetches("check", function()
                  local px = core.proxies.app
                  assert(core.frontends.app:get_cap() == "proxy" and core.backends.app:get_cap() == "proxy")
                  assert(px:get_cap() == "proxy", px:get_cap())
                  assert(px.uuid == "2" and core.backends.raw.uuid == "3", px.uuid .. " " .. core.backends.raw.uuid)
                  assert(px.servers.a and px.listeners["sock-1"])
                  local st = px:get_stats()
                  assert(st.svname == "BACKEND" and st.status == "UP", st.svname)
                  return "ok"
                end)
                """, "check", frontends, backends);
        assertEquals("ok", result);
    }

    @Test
    void setWeightReadsHaproxysWeightText() throws Exception {
        String result = run("""
                core.register_fetches("check", function()
                  local a = core.backends.app.servers.a
                  local out = {}
                  for _, w in ipairs({ "3", "50%", "3000%", "0", "256", "300", "-1", "-5%", "abc", "12x", "", " 7", "5%%", 42 }) do
                    local err = a:set_weight(w)
                    out[#out + 1] = tostring(w) .. "=" .. tostring(err) .. "/" .. a:get_weight()
                  end
                  local ok, err = pcall(a.set_weight, a)
                  out[#out + 1] = err
                  return table.concat(out, "\\n")
                end)
                """, "check");
        assertEquals(String.join("\n",
                "3=nil/3",
                "50%=nil/5",
                "3000%=nil/256",
                "0=nil/0",
                "256=nil/256",
                "300=Absolute weight can only be between 0 and 256 inclusive./256",
                "-1=Absolute weight can only be between 0 and 256 inclusive./256",
                "-5%=Relative weight must be positive./256",
                "abc=Empty weight string empty or preceded by garbage/256",
                "12x=Trailing garbage in weight string/256",
                "=Require <weight> or <weight%>./256",
                " 7=nil/7",
                "5%%=Trailing garbage in weight string/7",
                "42=nil/42",
                "bad argument #1 to 'set_weight' (string expected, got no value)"), result);
        assertEquals(42, a.weight());
    }

    @Test
    void adminAndForcedStatesFollowHaproxy() throws Exception {
        String result = run("""
                local function state(s)
                  return s:get_stats().status .. "/" .. s:is_draining() .. "/" .. math.type(s:is_draining())
                end
                core.register_fetches("check", function()
                  local b = core.backends.app.servers.b
                  local out = { state(b) }
                  assert(b:set_drain() == nil)
                  out[#out + 1] = state(b)
                  b:set_maint()
                  out[#out + 1] = state(b)
                  b:check_force_up()
                  out[#out + 1] = state(b)
                  b:set_ready()
                  out[#out + 1] = state(b)
                  b:check_force_nolb()
                  out[#out + 1] = state(b)
                  b:check_force_down()
                  out[#out + 1] = state(b)
                  for _, m in ipairs({ "check_enable", "check_disable", "agent_enable", "agent_disable",
                                        "agent_force_up", "agent_force_down" }) do
                    assert(select("#", b[m](b)) == 0, m)
                  end
                  out[#out + 1] = state(b)
                  b:check_force_up()
                  b:set_weight("0")
                  out[#out + 1] = state(b)
                  return table.concat(out, " ")
                end)
                """, "check");
        assertEquals("no check/0/integer DRAIN/1/integer MAINT/0/integer MAINT/0/integer no check/0/integer "
                + "NOLB/0/integer DOWN/0/integer DOWN/0/integer no check/1/integer", result);
        assertEquals(ServerAdmin.READY, b.admin());
        assertEquals(ServerHealth.UP, b.health());
    }

    @Test
    void setAddrReportsAsHaproxyDoes() throws Exception {
        String result = run("""
                core.register_fetches("check", function()
                  local a = core.backends.app.servers.a
                  local out = {
                    a:set_addr("127.0.0.2"),
                    a:get_addr(),
                    a:set_addr("127.0.0.2", "9005"),
                    a:get_addr(),
                    a:set_addr("[::1]", 9006),
                    a:get_addr(),
                    a:set_addr("::1", "9006"),
                    a:set_addr("no.such.name"),
                    a:set_addr("127.0.0.3", "x1"),
                    a:get_addr(),
                    a:set_addr("127.0.0.3", "+5"),
                    a:set_addr("127.0.0.3", "70000"),
                    a:get_addr(),
                  }
                  local ok, err = pcall(a.set_addr, a, "127.0.0.1", nil)
                  out[#out + 1] = err
                  return table.concat(out, "\\n")
                end)
                """, "check");
        assertEquals(String.join("\n",
                "IP changed from '127.0.0.1' to '127.0.0.2' by 'Lua script'",
                "127.0.0.2:9001",
                "no need to change the addr, port changed from '9001' to '9005' by 'Lua script'",
                "127.0.0.2:9005",
                "IP changed from '127.0.0.2' to '[::1]', port changed from '9005' to '9006' by 'Lua script'",
                "::1:9006",
                "no need to change the addr, no need to change the port by 'Lua script'",
                "Invalid addr 'no.such.name' by 'Lua script'",
                "IP changed from '::1' to '127.0.0.3', problem converting port 'x1' to an int by 'Lua script'",
                "127.0.0.3:9006",
                "no need to change the addr, port mapping ('+N', '-N') is not supported by luagate by 'Lua script'",
                "no need to change the addr, problem converting port '70000' to an int by 'Lua script'",
                "127.0.0.3:9006",
                "bad argument #2 to 'set_addr' (string expected, got nil)"), result);
        assertEquals(new InetSocketAddress("127.0.0.3", 9006), a.address());
    }

    @Test
    void maxconnIsRefusedAndShutSessReachesTheServer() throws Exception {
        String result = run("""
                core.register_fetches("check", function()
                  local a = core.backends.app.servers.a
                  local err = a:set_maxconn("100")
                  assert(a:get_maxconn() == 0)
                  assert(select("#", a:shut_sess()) == 0)
                  return err
                end)
                """, "check");
        assertEquals("maxconn is not supported by luagate: servers have no connection limit", result);
        assertEquals(1, a.shutdowns);
    }

    @Test
    void statsAreKeyedByHaproxysFieldNames() throws Exception {
        fe.stats = new TrafficStats(3, 40, 1000, 2000, 2, 0, 0, 38, 1, 30, 2, 4, 1, 0);
        app.stats = new TrafficStats(1, 36, 900, 1900, 0, 5, 2, 36, 0, 30, 2, 2, 2, 0);
        a.stats = new TrafficStats(1, 20, 500, 1000, 0, 3, 1, 20, 0, 17, 1, 1, 1, 0);
        b.setAdmin(ServerAdmin.DRAIN);
        String result = run("""
                local function dump(t)
                  local keys = {}
                  for k in pairs(t) do keys[#keys + 1] = k end
                  table.sort(keys)
                  local out = {}
                  for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(t[k]) end
                  return table.concat(out, " ")
                end
                core.register_fetches("check", function()
                  local fe, app = core.frontends.fe, core.backends.app
                  return table.concat({
                    dump(fe:get_stats()),
                    dump(app:get_stats()),
                    dump(app.servers.a:get_stats()),
                    dump(app.servers.b:get_stats()),
                    dump(fe.listeners["sock-2"]:get_stats()),
                    dump(core.backends.raw:get_stats()),
                  }, "\\n")
                end)
                """, "check");
        String[] lines = result.split("\n");
        assertEquals("bin=1000 bout=2000 conn_tot=40 ereq=2 hrsp_1xx=1 hrsp_2xx=30 hrsp_3xx=2 hrsp_4xx=4 hrsp_5xx=1 "
                + "hrsp_other=0 iid=1 mode=http pid=1 pxname=fe req_tot=38 scur=3 sid=0 status=OPEN stot=40 "
                + "svname=FRONTEND type=0", lines[0]);
        assertEquals("act=1 bck=0 bin=900 bout=1900 econ=5 eresp=2 hrsp_1xx=0 hrsp_2xx=30 hrsp_3xx=2 hrsp_4xx=2 "
                + "hrsp_5xx=2 hrsp_other=0 iid=3 mode=http pid=1 pxname=app req_tot=36 scur=1 sid=0 status=UP stot=36 "
                + "svname=BACKEND type=1 uweight=10 weight=10", lines[1]);
        assertEquals("act=1 addr=127.0.0.1:9001 bck=0 bin=500 bout=1000 econ=3 eresp=1 hrsp_1xx=0 hrsp_2xx=17 "
                + "hrsp_3xx=1 hrsp_4xx=1 hrsp_5xx=1 hrsp_other=0 iid=3 mode=http pid=1 pxname=app req_tot=20 scur=1 "
                + "sid=1 status=no check stot=20 svname=a type=2 uweight=10 weight=10", lines[2]);
        assertTrue(lines[3].contains("addr=[::1]:9002") && lines[3].contains("status=DRAIN")
                && lines[3].contains("weight=0") && lines[3].contains("uweight=1") && lines[3].contains("sid=2"), lines[3]);
        assertEquals("addr=[::1]:8443 iid=1 mode=http pid=1 pxname=fe sid=2 status=OPEN svname=sock-2 type=3", lines[4]);
        assertEquals("act=0 bck=0 bin=0 bout=0 econ=0 eresp=0 iid=4 mode=tcp pid=1 pxname=raw scur=0 sid=0 status=UP "
                + "stot=0 svname=BACKEND type=1 uweight=0 weight=0", lines[5], "no HTTP counters in a TCP backend");
    }

    @Test
    void aBackendWithNoUsableServerIsDown() throws Exception {
        a.setAdmin(ServerAdmin.MAINT);
        b.setWeight(0);
        assertEquals("DOWN 0", run("""
                core.register_fetches("check", function()
                  local s = core.backends.app:get_stats()
                  return s.status .. " " .. s.act
                end)
                """, "check"));
    }

    @Test
    void pauseResumeAndStopActOnFrontendsOnly() throws Exception {
        String result = run("""
                core.register_fetches("check", function()
                  local fe, app = core.frontends.fe, core.backends.app
                  local out = {}
                  assert(select("#", fe:pause()) == 0)
                  app:pause()
                  app:resume()
                  assert(select("#", app:shut_bcksess()) == 0)
                  local ok, err = pcall(app.stop, app)
                  out[#out + 1] = err
                  fe:resume()
                  fe:stop()
                  out[#out + 1] = fe:get_stats().status
                  return table.concat(out, "|")
                end)
                """, "check");
        assertEquals("stop: stopping a backend is not supported by luagate (only frontends can be stopped)|STOP", result);
        assertEquals(List.of("pause", "resume", "stop"), fe.calls);
    }

    @Test
    void statsAreReadWhenAsked() throws Exception {
        String result = run("""
                core.register_fetches("check", function()
                  local a = core.backends.app.servers.a
                  local before = a:get_stats().stot
                  a:set_weight("7")
                  return before .. " " .. a:get_stats().stot .. " " .. a:get_stats().uweight
                end)
                """, "check");
        assertEquals("0 1 7", result, "the second read sees the test server's counter move");
    }

    // ---- proxies keeping state as the kernel's do ----------------------------------------------

    static final class TestListener implements Listener {
        private final InetSocketAddress address;

        TestListener(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public String protocol() {
            return null;
        }

        @Override
        public boolean limited() {
            return false;
        }
    }

    static final class TestFrontend implements Frontend {
        final String name;
        final String mode;
        final List<TestListener> listeners;
        final List<String> calls = new java.util.ArrayList<>();
        volatile TrafficStats stats = new TrafficStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        private boolean paused;
        private boolean stopped;

        TestFrontend(String name, String mode, List<TestListener> listeners) {
            this.name = name;
            this.mode = mode;
            this.listeners = listeners;
        }

        @Override public String name() { return name; }
        @Override public String mode() { return mode; }
        @Override public long clientTimeoutMillis() { return 1000; }
        @Override public long httpRequestTimeoutMillis() { return 1000; }
        @Override public long httpKeepAliveTimeoutMillis() { return 1000; }
        @Override public long tcpInspectDelayMillis() { return 0; }
        @Override public boolean httpBufferRequest() { return false; }
        @Override public int bufferSize() { return 16384; }
        @Override public int maxHeaderSize() { return 16384; }
        @Override public List<TestListener> listeners() { return listeners; }
        @Override public boolean paused() { return paused; }
        @Override public boolean stopped() { return stopped; }
        @Override public TrafficStats stats() { return stats; }

        @Override
        public void pause() {
            calls.add("pause");
            paused = !stopped;
        }

        @Override
        public void resume() {
            calls.add("resume");
            paused = false;
        }

        @Override
        public void stop() {
            calls.add("stop");
            stopped = true;
            paused = false;
        }
    }

    static final class TestBackend implements Backend {
        final String name;
        final String mode;
        final List<TestServer> servers;
        volatile TrafficStats stats = new TrafficStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        TestBackend(String name, String mode, List<TestServer> servers) {
            this.name = name;
            this.mode = mode;
            this.servers = servers;
        }

        @Override public String name() { return name; }
        @Override public String mode() { return mode; }
        @Override public List<TestServer> servers() { return servers; }
        @Override public long connectTimeoutMillis() { return 1000; }
        @Override public long serverTimeoutMillis() { return 1000; }
        @Override public long tunnelTimeoutMillis() { return 0; }
        @Override public int retries() { return 0; }
        @Override public HttpReuse httpReuse() { return HttpReuse.NEVER; }
        @Override public boolean httpBufferRequest() { return false; }
        @Override public boolean forwardFor() { return false; }
        @Override public TrafficStats stats() { return stats; }
    }

    /** A server with the kernel's transitions; each stats read counts one more session, so tests see reads are live. */
    static final class TestServer implements Server {
        final String name;
        final int initialWeight;
        volatile InetSocketAddress address;
        volatile int weight;
        volatile ServerAdmin admin = ServerAdmin.READY;
        volatile ServerHealth health = ServerHealth.UP;
        volatile TrafficStats stats;
        volatile int shutdowns;
        private int reads;

        TestServer(String name, InetSocketAddress address, int weight) {
            this.name = name;
            this.address = address;
            this.weight = weight;
            this.initialWeight = weight;
        }

        @Override public String name() { return name; }
        @Override public InetSocketAddress address() { return address; }
        @Override public int weight() { return weight; }
        @Override public int initialWeight() { return initialWeight; }
        @Override public boolean isUp() { return admin == ServerAdmin.READY && health == ServerHealth.UP; }
        @Override public ServerAdmin admin() { return admin; }
        @Override public ServerHealth health() { return health; }
        @Override public void setAddress(InetSocketAddress address) { this.address = address; }
        @Override public void shutdownStreams() { shutdowns++; }

        @Override
        public void setWeight(int weight) {
            if (weight < 0 || weight > 256) {
                throw new IllegalArgumentException("weight " + weight);
            }
            this.weight = weight;
        }

        @Override
        public void setAdmin(ServerAdmin admin) {
            if (admin == ServerAdmin.MAINT) {
                health = ServerHealth.DOWN;
            } else if (this.admin == ServerAdmin.MAINT) {
                health = ServerHealth.UP;
            }
            this.admin = admin;
        }

        @Override
        public void forceHealth(ServerHealth health) {
            if (admin != ServerAdmin.MAINT) {
                this.health = health;
            }
        }

        @Override
        public TrafficStats stats() {
            return stats != null ? stats : new TrafficStats(0, reads++, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }
}
