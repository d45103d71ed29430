package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.CallDone;
import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.Registrations;
import io.luagate.plugin.lua.lib.LuaArgs;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.TrafficStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The globals HAProxy gives a Lua state: {@code core}, {@code act}, {@code Map}, and the classes
 * its objects belong to. One instance per state.
 */
public final class LuaApi {

    private final LuaState state;
    final TxnApi txn;
    final AppletApi applets;
    private final FilterApi filters = new FilterApi();
    private final SocketClass sockets;
    private final HttpClientClass httpClients;
    private final LuaTable core = new LuaTable();
    /** This state's Concat class: a class shared by states would let one state's script run in another. */
    private final Concat concat = new Concat();

    private LuaApi(LuaState state) {
        this.state = state;
        SampleBridge samples = new SampleBridge(state.engine().samples());
        SandboxedFetches.apply(samples);
        this.txn = new TxnApi(samples);
        this.applets = new AppletApi(samples);
        this.sockets = new SocketClass(state);
        this.httpClients = new HttpClientClass(state);
    }

    /** Installs the globals in {@code state}, before its scripts load. */
    public static void install(LuaState state) {
        LuaApi api = new LuaApi(state);
        state.api(api);
        LuaTable g = state.globals();
        g.set("core", api.core);
        api.installCore();
        g.set("act", api.actTable());
        g.set("Map", MapClass.create(state));
        g.set("filter", api.filters.global());
        g.set("Regex", RegexClass.create());
    }

    /** Fills what exists only once luagate runs: {@code core.frontends}, {@code core.backends}, {@code core.proxies}. */
    public static void started(LuaState state) {
        ((LuaApi) state.api()).fillProxies(state.engine().runtime());
    }

    /** A TXN object for an action or fetch. */
    public LuaTable txn(TxnContext context) {
        return txn.wrap(context);
    }

    public AppletApi applets() {
        return applets;
    }

    public FilterApi filters() {
        return filters;
    }

    /** TLS for the https URLs of {@code core.httpclient()} (the {@code lua.httpclient-*} settings). */
    public void httpsClientTls(io.luagate.plugin.lua.net.HttpsClientTls tls) {
        httpClients.tls(tls);
    }

    /** A Channel object over {@code buffer} (the bytes of {@code request} a TCP filter sees pass). */
    public LuaTable channel(io.luagate.spi.rule.ChannelBuffer buffer, io.luagate.spi.rule.Transaction request) {
        return txn.channel(buffer, state, request);
    }

    private void installCore() {
        String[] levels = Logging.LEVELS;
        for (int i = 0; i < levels.length; i++) {
            core.set(levels[i], LuaValue.valueOf(i));
        }
        core.set("thread", LuaValue.valueOf(state.thread()));
        // core.proxies, core.frontends and core.backends are nil until luagate runs, as in HAProxy
        // (hlua_post_init makes them, before the init functions run): see ProxyClasses.fill.
        Registrations reg = state.registrations();
        fn("register_fetches", a -> {
            reg.fetches.put(name(a, "register_fetches"), a.checkfunction(2));
            return LuaValue.NONE;
        });
        fn("register_converters", a -> {
            reg.converters.put(name(a, "register_converters"), a.checkfunction(2));
            return LuaValue.NONE;
        });
        fn("register_action", a -> {
            String name = name(a, "register_action");
            LuaTable envs = a.checktable(2);
            LuaValue function = a.checkfunction(3);
            int arguments = a.optint(4, 0);
            for (int i = 1; i <= envs.length(); i++) {
                String env = LuaArgs.jstring(envs.get(i).checkstring());
                if (!List.of("http-req", "http-res", "tcp-req", "tcp-res").contains(env)) {
                    throw new LuaError("Lua action environment '" + env
                            + "' is unknown. 'tcp-req', 'tcp-res', 'http-req' or 'http-res' are expected.");
                }
                reg.action(name, env, new Registrations.ActionEntry(function, arguments));
            }
            return LuaValue.NONE;
        });
        fn("register_service", a -> {
            String name = name(a, "register_service");
            String mode = LuaArgs.checkJstring(a, 2);
            if (!mode.equals("http") && !mode.equals("tcp")) {
                throw new LuaError("register_service: mode must be 'http' or 'tcp', not '" + mode + "'");
            }
            reg.services.put(name, new Registrations.ServiceEntry(a.checkfunction(3), mode));
            return LuaValue.NONE;
        });
        fn("register_filter", a -> {
            String name = name(a, "register_filter");
            reg.filters.put(name, new Registrations.FilterEntry(a.checktable(2), a.checkfunction(3)));
            return LuaValue.NONE;
        });
        fn("register_cli", a -> {
            // HAProxy's CLI is its stats socket; luagate has no run-time command socket yet, so the
            // registration is checked as HAProxy checks it, then reported as unreachable (README).
            LuaTable words = a.checktable(1);
            int count = words.length();
            if (count < 1 || count > 5) {
                throw new LuaError("register_cli: 1 to 5 keywords expected, got " + count);
            }
            StringBuilder command = new StringBuilder();
            for (int i = 1; i <= count; i++) {
                command.append(i > 1 ? " " : "").append(LuaArgs.jstring(words.get(i).checkstring()));
            }
            LuaArgs.checkJstring(a, 2);
            a.checkfunction(3);
            Logging.log(Logging.WARNING, "core.register_cli(\"" + command + "\"): luagate has no run-time CLI socket;"
                    + " this command cannot be called");
            return LuaValue.NONE;
        });
        fn("register_init", a -> {
            reg.inits.add(a.checkfunction(1));
            return LuaValue.NONE;
        });
        fn("register_task", a -> {
            LuaValue task = a.checkfunction(1);
            if (state.engine().started(state)) {
                state.engine().startTask(state, task);
            } else {
                reg.tasks.add(task);
            }
            return LuaValue.NONE;
        });
        fn("log", a -> {
            LuaArgs.guardNumber(a, 1, "log");
            Logging.log(a.checkint(1), Values.display(a.checkstring(2)));
            return LuaValue.NONE;
        });
        for (String[] shortcut : new String[][] {{"Debug", "7"}, {"Info", "6"}, {"Warning", "4"}, {"Alert", "1"}}) {
            int level = Integer.parseInt(shortcut[1]);
            fn(shortcut[0], a -> {
                Logging.log(level, Values.display(a.checkstring(1)));
                return LuaValue.NONE;
            });
        }
        fn("sleep", a -> {
            LuaArgs.guardNumber(a, 1, "sleep");
            sleep(a.checklong(1) * 1000);
            return LuaValue.NONE;
        });
        fn("msleep", a -> {
            LuaArgs.guardNumber(a, 1, "msleep");
            sleep(a.checklong(1));
            return LuaValue.NONE;
        });
        fn("yield", a -> {
            LuaCall call = state.currentCall();
            if (call != null) {
                call.yieldOnce();
            }
            return LuaValue.NONE;
        });
        fn("done", a -> {
            throw new CallDone(a);
        });
        fn("now", a -> {
            // HAProxy reads gettimeofday(): microseconds, not the millisecond clock.
            Instant instant = Instant.now();
            LuaTable now = new LuaTable();
            now.set("sec", LuaValue.valueOf((double) instant.getEpochSecond()));
            now.set("usec", LuaValue.valueOf((double) (instant.getNano() / 1_000)));
            return now;
        });
        fn("tokenize", a -> tokenize(Values.text(a, 1), Values.text(a, 2), a.optboolean(3, false)));
        fn("concat", a -> concat.create());
        fn("tcp", a -> sockets.create());
        fn("httpclient", a -> httpClients.create());
        fn("set_map", a -> patterns(() -> state.engine().patterns().setMap(LuaArgs.checkJstring(a, 1), Values.text(a, 2), Values.text(a, 3))));
        fn("del_map", a -> patterns(() -> state.engine().patterns().delMap(LuaArgs.checkJstring(a, 1), Values.text(a, 2))));
        fn("add_acl", a -> patterns(() -> state.engine().patterns().addAcl(LuaArgs.checkJstring(a, 1), Values.text(a, 2))));
        fn("del_acl", a -> patterns(() -> state.engine().patterns().delAcl(LuaArgs.checkJstring(a, 1), Values.text(a, 2))));
        CoreUtilities.install(core);
        fn("get_info", a -> info());
    }

    /** {@code core.get_info()}: the "show info" fields luagate has, keyed by HAProxy's names. */
    private LuaTable info() {
        LuaTable info = new LuaTable();
        info.set("Name", "luagate");
        String version = LuaApi.class.getPackage().getImplementationVersion();
        if (version != null) {
            info.set("Version", version);
        }
        info.set("Nbproc", LuaValue.valueOf(1));
        info.set("Process_num", LuaValue.valueOf(1));
        info.set("Pid", LuaValue.valueOf(ProcessHandle.current().pid()));
        long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        info.set("Uptime_sec", LuaValue.valueOf(uptime));
        info.set("Uptime", String.format("%dd %dh%02dm%02ds", uptime / 86400, uptime / 3600 % 24, uptime / 60 % 60, uptime % 60));
        ExtensionRuntime runtime = state.engine().runtime();
        info.set("Nbthread", LuaValue.valueOf(runtime == null ? 0 : runtime.eventLoops().size()));
        if (runtime != null) {
            long current = 0;
            long total = 0;
            long requests = 0;
            for (Frontend frontend : runtime.frontends().values()) {
                TrafficStats stats = frontend.stats();
                current += stats.currentSessions();
                total += stats.totalSessions();
                requests += stats.httpRequests();
            }
            info.set("CurrConns", LuaValue.valueOf(current));
            info.set("CumConns", LuaValue.valueOf(total));
            info.set("CumReq", LuaValue.valueOf(requests));
        }
        return info;
    }

    private void sleep(long millis) {
        LuaCall call = state.currentCall();
        // As in HAProxy, sleeping in a script body or an init function does nothing.
        if (call != null) {
            call.sleep(millis);
        }
    }

    private static Varargs patterns(Runnable update) {
        try {
            update.run();
        } catch (IllegalArgumentException e) {
            throw new LuaError(e.getMessage());
        }
        return LuaValue.NONE;
    }

    private String name(Varargs a, String function) {
        if (state.engine().started(state)) {
            throw new LuaError(function + ": names can only be registered by the script body or an init function");
        }
        return LuaArgs.checkJstring(a, 1);
    }

    private void fn(String name, java.util.function.Function<Varargs, Varargs> body) {
        core.set(name, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        });
    }

    static LuaTable tokenize(String text, String separators, boolean noBlank) {
        LuaTable out = new LuaTable();
        int n = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || separators.indexOf(text.charAt(i)) >= 0) {
                if (!noBlank || i > start) {
                    out.set(++n, Values.lua(text.substring(start, i)));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private LuaTable actTable() {
        LuaTable act = new LuaTable();
        String[] codes = {"CONTINUE", "STOP", "YIELD", "ERROR", "DONE", "DENY", "ABORT", "INVALID"};
        for (int i = 0; i < codes.length; i++) {
            act.set(codes[i], LuaValue.valueOf(i));
        }
        act.set("wake_time", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaArgs.guardNumber(args, 1, "wake_time");
                long millis = args.checklong(1);
                LuaCall call = state.currentCall();
                if (call != null) {
                    call.wakeTime(millis);
                }
                return NONE;
            }
        });
        return act;
    }

    // ---- proxies -----------------------------------------------------------------------------

    private void fillProxies(ExtensionRuntime runtime) {
        ProxyClasses.fill(core, runtime);
    }
}
