package io.luagate.plugin.lua;

import io.luagate.plugin.lua.api.AppletApi;
import io.luagate.plugin.lua.api.LuaApi;
import io.luagate.plugin.lua.api.TxnContext;
import io.luagate.plugin.lua.engine.FunctionAccount;
import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.Registrations;
import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.extension.ExtensionContext;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ScriptStats;
import io.luagate.spi.extension.ScriptStatsSource;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.HttpServiceExchange;
import io.luagate.spi.vocabulary.ActionPlace;
import io.luagate.spi.vocabulary.Vocabulary;
import io.netty.channel.EventLoop;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code lua} section: loads the scripts (HAProxy's {@code lua-load} and
 * {@code lua-load-per-thread}) and enters every {@code lua.<name>} they register into the rule
 * language.
 */
@org.pf4j.Extension
public final class LuaExtension implements io.luagate.spi.extension.Extension, ScriptStatsSource {

    private LuaEngine engine;

    @Override
    public String configSection() {
        return "lua";
    }

    @Override
    public String defaultsResource() {
        return "lua-reference.conf";
    }

    @Override
    public void configure(ExtensionContext context) {
        ConfigSection section = context.config();
        LuaSettings settings = LuaSettings.read(section);
        String verify = section.string("httpclient-ssl-verify");
        String caFile = section.string("httpclient-ca-file");
        if (!settings.enabled()) {
            return;
        }
        io.luagate.plugin.lua.net.HttpsClientTls tls = httpsClientTls(section, verify, caFile, context.home());
        String noSuspension = settings.suspension().unavailable();
        if (noSuspension != null) {
            section.problem("suspension", noSuspension);
            return;
        }
        try {
            engine = new LuaEngine(settings, context.home(), context.patterns(), context.samples(), context.eventLoops());
        } catch (IllegalStateException e) {
            section.problem("load", e.getMessage());
            return;
        }
        for (String problem : engine.problems()) {
            section.problem(settings.load().isEmpty() ? "load-per-thread" : "load", problem);
        }
        if (tls != null) {
            engine.states().forEach(state -> ((LuaApi) state.api()).httpsClientTls(tls));
        }
        Vocabulary vocabulary = context.vocabulary();
        for (Registrations registrations : engine.registrationSets()) {
            boolean shared = engine.isShared(registrations);
            try {
                register(vocabulary, registrations, shared, settings);
            } catch (IllegalArgumentException e) {
                section.problem(shared ? "load" : "load-per-thread", "lua: " + e.getMessage());
            }
        }
    }

    /** The https settings of core.httpclient(); {@code null} (with a problem noted) when they are bad. */
    private static io.luagate.plugin.lua.net.HttpsClientTls httpsClientTls(ConfigSection section, String verify,
                                                                           String caFile, java.nio.file.Path home) {
        if (!verify.equals("required") && !verify.equals("none")) {
            section.problem("httpclient-ssl-verify", "must be required or none, not '" + verify + "'");
            return null;
        }
        try {
            return io.luagate.plugin.lua.net.HttpsClientTls.build(verify.equals("required"),
                    caFile.isEmpty() ? null : home.resolve(caFile));
        } catch (IllegalArgumentException e) {
            section.problem("httpclient-ca-file", e.getMessage());
            return null;
        }
    }

    private void register(Vocabulary vocabulary, Registrations registrations, boolean shared, LuaSettings settings) {
        for (String name : registrations.fetches.keySet()) {
            LuaValue[] functions = functions(shared, r -> r.fetches.get(name));
            FunctionAccount[] accounts = engine.accounts().of("fetch", name);
            vocabulary.fetch("lua." + name, args -> {
                // The rule's arguments as Lua strings once, at compile time: immutable, shared by every call.
                Varargs argv = strings(args);
                return txn -> {
                    LuaState state = state(shared, txn);
                    LuaCall call = new LuaCall(state, "fetch lua." + name, false, settings.sessionTimeoutNanos(), loop(txn))
                            .serving(txn).accountTo(accounts[state.thread()]);
                    LuaApi api = (LuaApi) state.api();
                    LuaValue function = functions[state.thread()];
                    LuaCall.Outcome outcome = call.invoke(function,
                            LuaValue.varargsOf(api.txn(TxnContext.onStream(state, txn, txn.response() != null, call)), argv));
                    return sample(outcome, "fetch lua." + name);
                };
            });
        }
        for (String name : registrations.converters.keySet()) {
            LuaValue[] functions = functions(shared, r -> r.converters.get(name));
            FunctionAccount[] accounts = engine.accounts().of("converter", name);
            vocabulary.converter("lua." + name, args -> {
                Varargs argv = strings(args);
                return (txn, input) -> {
                    LuaState state = state(shared, txn);
                    LuaCall call = new LuaCall(state, "converter lua." + name, false, settings.sessionTimeoutNanos(), loop(txn))
                            .serving(txn).accountTo(accounts[state.thread()]);
                    LuaValue function = functions[state.thread()];
                    // HAProxy registers Lua converters with a string input: the sample is cast to a
                    // string first (an integer arrives as its digits, as 2.6.12 shows), binary stays whole.
                    Object text = input instanceof byte[] ? input : io.luagate.spi.sample.Samples.asString(input);
                    LuaCall.Outcome outcome = call.invoke(function,
                            LuaValue.varargsOf(io.luagate.plugin.lua.api.Values.toLua(text), argv));
                    return sample(outcome, "converter lua." + name);
                };
            });
        }
        for (Map.Entry<String, Map<String, Registrations.ActionEntry>> entry : registrations.actions.entrySet()) {
            String name = entry.getKey();
            Set<ActionPlace> places = EnumSet.noneOf(ActionPlace.class);
            for (String env : entry.getValue().keySet()) {
                places.add(place(env));
            }
            Map<String, FunctionAccount[]> accountsByEnv = actionAccounts(name, entry.getValue());
            // One vocabulary entry for every rule list the name was registered for; each rule
            // gets the function and argument count registered for its own list.
            vocabulary.action("lua." + name, places, (place, words) -> {
                String env = environment(place);
                Registrations.ActionEntry action = entry.getValue().get(env);
                if (words.size() != action.arguments()) {
                    throw new IllegalArgumentException("expect " + action.arguments() + " arguments.");
                }
                LuaValue[] args = words.stream().map(io.luagate.plugin.lua.api.Values::lua).toArray(LuaValue[]::new);
                return new LuaAction(name, shared, functions(shared, r -> r.actions.get(name).get(env).function()),
                        accountsByEnv.get(env), place == ActionPlace.HTTP_RESPONSE || place == ActionPlace.TCP_RESPONSE, args,
                        settings);
            });
        }
        for (String name : registrations.filters.keySet()) {
            FunctionAccount[] accounts = engine.accounts().of("filter", name);
            vocabulary.filter("lua." + name,
                    args -> LuaFilter.create(engine, name, shared, args, settings.sessionTimeoutNanos(), accounts));
        }
        for (Map.Entry<String, Registrations.ServiceEntry> entry : registrations.services.entrySet()) {
            String name = entry.getKey();
            LuaValue[] functions = functions(shared, r -> r.services.get(name).function());
            FunctionAccount[] accounts = engine.accounts().of("service", name);
            if (entry.getValue().mode().equals("http")) {
                vocabulary.httpService("lua." + name, new HttpService() {
                    @Override
                    public boolean answersInRequestVersion() {
                        // HAProxy's Lua applet writes its status line in the request's version.
                        return true;
                    }

                    @Override
                    public void serve(HttpServiceExchange exchange) {
                        Transaction txn = exchange.transaction();
                        LuaState state = state(shared, txn);
                        LuaCall call = new LuaCall(state, "service lua." + name, true, settings.serviceTimeoutNanos(), loop(txn))
                                .serving(txn).accountTo(accounts[state.thread()]);
                        AppletApi.HttpApplet applet = new AppletApi.HttpApplet(exchange, call);
                        exchange.onClose(call::cancel);
                        // The body streams to the applet; receive() and getline() wait for it.
                        exchange.receive(applet.receiver());
                        call.start(functions[state.thread()], ((LuaApi) state.api()).applets().http(applet), outcome -> {
                            if (outcome.failed()) {
                                LuaEngine.logFailure("service lua." + name, outcome.error());
                                exchange.fail();
                            } else if (!exchange.started()) {
                                // HAProxy answers 500 when a service returns without a response.
                                exchange.fail();
                            } else {
                                exchange.end();
                            }
                        });
                    }
                });
            } else {
                vocabulary.tcpService("lua." + name, exchange -> {
                    Transaction txn = exchange.transaction();
                    LuaState state = state(shared, txn);
                    LuaCall call = new LuaCall(state, "service lua." + name, true, settings.serviceTimeoutNanos(), loop(txn))
                            .serving(txn).accountTo(accounts[state.thread()]);
                    AppletApi.TcpApplet applet = new AppletApi.TcpApplet(exchange, call);
                    exchange.receive(applet.receiver());
                    call.start(functions[state.thread()], ((LuaApi) state.api()).applets().tcp(applet), outcome -> {
                        if (outcome.failed()) {
                            LuaEngine.logFailure("service lua." + name, outcome.error());
                        }
                        exchange.close();
                    });
                });
            }
        }
    }

    /**
     * The accounts of an action's environments: one entry per registration, so environments that
     * share a function (one {@code register_action} with several) share an entry named as
     * registered, and a name registered again for another environment with another function gets
     * an entry per environment ({@code auth (http-res)}).
     */
    private Map<String, FunctionAccount[]> actionAccounts(String name, Map<String, Registrations.ActionEntry> byEnv) {
        Map<LuaValue, List<String>> envsByFunction = new java.util.IdentityHashMap<>();
        byEnv.forEach((env, action) -> envsByFunction.computeIfAbsent(action.function(), f -> new java.util.ArrayList<>()).add(env));
        Map<String, FunctionAccount[]> accounts = new java.util.HashMap<>();
        for (List<String> envs : envsByFunction.values()) {
            String entry = envsByFunction.size() == 1 ? name : name + " (" + String.join(", ", envs) + ")";
            FunctionAccount[] shared = engine.accounts().of("action", entry);
            envs.forEach(env -> accounts.put(env, shared));
        }
        return accounts;
    }

    private static ActionPlace place(String environment) {
        return switch (environment) {
            case "http-req" -> ActionPlace.HTTP_REQUEST;
            case "http-res" -> ActionPlace.HTTP_RESPONSE;
            case "tcp-req" -> ActionPlace.TCP_REQUEST;
            case "tcp-res" -> ActionPlace.TCP_RESPONSE;
            default -> throw new IllegalStateException("environment '" + environment + "' passed register_action");
        };
    }

    private static String environment(ActionPlace place) {
        return switch (place) {
            case HTTP_REQUEST -> "http-req";
            case HTTP_RESPONSE -> "http-res";
            case TCP_REQUEST -> "tcp-req";
            case TCP_RESPONSE -> "tcp-res";
            default -> throw new IllegalStateException("lua actions are not registered for " + place);
        };
    }

    /** One {@code lua.<name>} action in a rule: a yieldable call; the rules wait while it is suspended. */
    private final class LuaAction implements Action {

        private final String name;
        private final boolean shared;
        private final LuaValue[] functions;
        /** The registration's counters, by thread number. */
        private final FunctionAccount[] accounts;
        private final boolean response;
        private final LuaValue[] args;
        private final LuaSettings settings;

        LuaAction(String name, boolean shared, LuaValue[] functions, FunctionAccount[] accounts, boolean response,
                  LuaValue[] args, LuaSettings settings) {
            this.name = name;
            this.shared = shared;
            this.functions = functions;
            this.accounts = accounts;
            this.response = response;
            this.args = args;
            this.settings = settings;
        }

        @Override
        public Verdict execute(Transaction txn) {
            Run run = new Run(txn);
            run.attempt();
            if (run.now != null) {
                return run.now;
            }
            run.later = txn.suspend();
            run.later.onCancel(run::cancel);
            return Verdict.PENDING;
        }

        /**
         * One execution of the action on a stream. {@code act.YIELD} runs the function again from the
         * start after {@code act.wake_time} (1 ms if not set), as HAProxy re-runs a yielding action;
         * unlike HAProxy, the re-runs share one {@code lua.session-timeout}, so an action that yields
         * for ever cannot keep a loop busy until the client's timeout.
         */
        private final class Run {

            private final Transaction txn;
            private Verdict now;
            private Suspension later;
            private LuaCall call;
            private io.netty.util.concurrent.ScheduledFuture<?> again;
            private boolean cancelled;
            /** Lua time of the earlier runs: act.YIELD re-runs share one lua.session-timeout. */
            private long spent;

            Run(Transaction txn) {
                this.txn = txn;
            }

            void attempt() {
                again = null;
                if (cancelled) {
                    return;
                }
                LuaState state = state(shared, txn);
                long timeout = settings.sessionTimeoutNanos();
                call = new LuaCall(state, "action lua." + name, true, timeout, loop(txn)).serving(txn).alreadyRan(spent)
                        .accountTo(accounts[state.thread()]);
                TxnContext context = TxnContext.onStream(state, txn, response, call);
                if (timeout > 0 && spent >= timeout) {
                    // The re-runs used the whole budget, each too short to meet a limit check itself.
                    finish(call.timedOutBeforeStart("execution timeout (lua.session-timeout, counted over the "
                            + "action's act.YIELD re-runs)"), context);
                    return;
                }
                LuaCall current = call;
                call.start(functions[state.thread()], LuaValue.varargsOf(((LuaApi) state.api()).txn(context),
                        LuaValue.varargsOf(args)), outcome -> {
                    spent = current.ranNanos();
                    if (!outcome.failed() && code(outcome) == ActCodes.YIELD && !txn.stream().ended() && !context.answered()) {
                        long wake = current.wakeTime();
                        again = loop(txn).schedule(this::attempt, wake < 0 ? 1 : wake, java.util.concurrent.TimeUnit.MILLISECONDS);
                        return;
                    }
                    finish(outcome, context);
                });
            }

            private void finish(LuaCall.Outcome outcome, TxnContext context) {
                Verdict verdict = verdict(outcome, context);
                if (later == null) {
                    now = verdict;
                } else {
                    later.resume(verdict);
                }
            }

            void cancel() {
                cancelled = true;
                if (again != null) {
                    again.cancel(false);
                }
                if (call != null) {
                    call.cancel();
                }
            }
        }

        private Verdict verdict(LuaCall.Outcome outcome, TxnContext context) {
            if (outcome.failed()) {
                // As in HAProxy: the error is logged and the rules go on.
                LuaEngine.logFailure("action lua." + name, outcome.error());
                return Verdict.CONTINUE;
            }
            if (context.txn().stream().ended() || context.answered()) {
                return Verdict.STOP;
            }
            return ActCodes.verdict(code(outcome), context.txn());
        }

        private static int code(LuaCall.Outcome outcome) {
            Varargs values = outcome.values();
            return values.narg() > 0 && values.arg1().isnumber() ? values.arg1().toint() : 0;
        }
    }

    /**
     * The function registered under one name in every state that serves it, by thread number (0:
     * the shared state): resolved once, so that a call looks up nothing by name.
     */
    private LuaValue[] functions(boolean shared, java.util.function.Function<Registrations, LuaValue> pick) {
        List<LuaState> states = engine.states();
        LuaValue[] byThread = new LuaValue[states.size() + 1];
        for (LuaState state : states) {
            if (state.shared() == shared) {
                byThread[state.thread()] = pick.apply(state.registrations());
            }
        }
        return byThread;
    }

    private LuaState state(boolean shared, Transaction txn) {
        return shared ? engine.sharedState() : engine.perThreadState(loop(txn));
    }

    private static EventLoop loop(Transaction txn) {
        return txn.stream().session().channel().eventLoop();
    }

    private static Varargs strings(List<String> args) {
        LuaValue[] values = new LuaValue[args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = io.luagate.plugin.lua.api.Values.lua(args.get(i));
        }
        return LuaValue.varargsOf(values);
    }

    private static Object sample(LuaCall.Outcome outcome, String what) {
        if (outcome.failed()) {
            LuaEngine.logFailure(what, outcome.error());
            return null;
        }
        Varargs values = outcome.values();
        // No value at all: the fetch fails; nil is a found "false", as HAProxy 2.6 converts it.
        return values.narg() == 0 ? null : io.luagate.plugin.lua.api.Values.toSample(values.arg1());
    }

    @Override
    public ScriptStats scriptStats() {
        return engine == null ? ScriptStats.EMPTY : engine.accounts().snapshot();
    }

    @Override
    public void start(ExtensionRuntime runtime) {
        if (engine != null) {
            io.luagate.plugin.lua.net.InsecureTls.prepare();
            engine.start(runtime);
        }
    }

    @Override
    public void stop() {
        if (engine != null) {
            engine.stop();
        }
    }
}
