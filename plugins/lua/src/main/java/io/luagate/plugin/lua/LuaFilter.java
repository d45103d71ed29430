package io.luagate.plugin.lua;

import io.luagate.plugin.lua.api.FilterApi;
import io.luagate.plugin.lua.engine.CallDone;
import io.luagate.plugin.lua.engine.FunctionAccount;
import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.Registrations;
import io.luagate.spi.filter.Filter;
import io.luagate.spi.filter.FilterInstance;
import io.luagate.spi.rule.Transaction;
import io.netty.channel.EventLoop;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * One {@code filter lua.<name> [args]} line. As in HAProxy, each state that serves the name gets
 * its own copy of the registered class, which the registration function receives with the line's
 * arguments; each stream then gets the instance the copy's {@code new()} returns. A {@code new()}
 * that fails or returns no table leaves the stream without this filter; nothing else changes.
 */
final class LuaFilter implements Filter {

    private final String name;
    private final LuaEngine engine;
    private final boolean shared;
    /** The class copy of this line, by thread number (0: the shared state). */
    private final LuaTable[] copies;
    /** Which callbacks each copy defines ({@link LuaFilterInstance#callbacks}), by thread number. */
    private final int[] callbacks;
    private final long timeoutNanos;
    /** The registration's counters, by thread number: {@code new()} and every callback count there. */
    private final FunctionAccount[] accounts;

    private LuaFilter(String name, LuaEngine engine, boolean shared, LuaTable[] copies, int[] callbacks, long timeoutNanos,
                      FunctionAccount[] accounts) {
        this.name = name;
        this.engine = engine;
        this.shared = shared;
        this.copies = copies;
        this.callbacks = callbacks;
        this.timeoutNanos = timeoutNanos;
        this.accounts = accounts;
    }

    /** Runs the registration function of {@code name} in every state that serves it (configuration time). */
    static LuaFilter create(LuaEngine engine, String name, boolean shared, List<String> args, long timeoutNanos,
                            FunctionAccount[] accounts) {
        List<LuaState> states = engine.states();
        LuaTable[] copies = new LuaTable[states.size() + 1];
        int[] callbacks = new int[states.size() + 1];
        for (LuaState state : states) {
            if (state.shared() != shared) {
                continue;
            }
            Registrations.FilterEntry entry = state.registrations().filters.get(name);
            LuaTable copy = copy(entry.filterClass());
            LuaTable argTable = new LuaTable();
            for (int i = 0; i < args.size(); i++) {
                argTable.rawset(i + 1, io.luagate.plugin.lua.api.Values.lua(args.get(i)));
            }
            try {
                state.callInit(entry.init(), LuaValue.varargsOf(copy, argTable));
            } catch (CallDone e) {
                // core.done() ends the registration function only.
            } catch (LuaError e) {
                throw new IllegalArgumentException("its registration function failed: " + e.getMessage());
            }
            copies[state.thread()] = copy;
            // As HAProxy, hook only the callbacks the class defines once configured.
            callbacks[state.thread()] = LuaFilterInstance.callbacks(copy);
        }
        return new LuaFilter("lua." + name, engine, shared, copies, callbacks, timeoutNanos, accounts);
    }

    /** A shallow copy, as HAProxy makes one per configuration line: fields set by one line stay in it. */
    private static LuaTable copy(LuaTable source) {
        LuaTable copy = new LuaTable();
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = source.next(key);
            if ((key = next.arg1()).isnil()) {
                break;
            }
            copy.rawset(key, next.arg(2));
        }
        copy.setmetatable(source.getmetatable());
        return copy;
    }

    @Override
    public FilterInstance attach(Transaction txn) {
        EventLoop loop = txn.stream().session().channel().eventLoop();
        LuaState state = shared ? engine.sharedState() : engine.perThreadState(loop);
        LuaTable filterClass = copies[state.thread()];
        FunctionAccount account = accounts[state.thread()];
        LuaCall call = new LuaCall(state, "filter " + name + " new()", false, timeoutNanos, loop).serving(txn).accountTo(account);
        LuaFilterInstance attached = new LuaFilterInstance(name, state, callbacks[state.thread()], txn, loop, timeoutNanos,
                account);
        LuaCall.Outcome outcome = call.invoke(NEW, LuaValue.varargsOf(filterClass, NEW_KEY, new LuaUserdata(attached)));
        if (outcome.failed()) {
            LuaEngine.logFailure("filter " + name + " new()", outcome.error());
            return null;
        }
        LuaValue instance = outcome.values().arg1();
        if (!instance.istable()) {
            // As in HAProxy: no table, no filter on this stream.
            return null;
        }
        attached.bind((LuaTable) instance);
        return attached;
    }

    private static final LuaValue NEW_KEY = LuaValue.valueOf("new");

    /**
     * Calls {@code class.new(class)} inside the Lua call, so that a missing or broken {@code new}
     * is a Lua error of that call (logged, filter skipped) rather than a Java one; the instance gets
     * its Java side there too, under the state's lock (a shared state's table is touched by every loop).
     */
    private static final LuaValue NEW = new org.luaj.vm2.lib.VarArgFunction() {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue filterClass = args.arg1();
            LuaValue function = filterClass.get(args.arg(2));
            if (!function.isfunction()) {
                throw new LuaError("'new' field is not a function");
            }
            Varargs made = function.invoke(filterClass);
            if (made.arg1().istable()) {
                made.arg1().rawset(FilterApi.HANDLE_KEY, args.arg(3));
            }
            return made;
        }
    };
}
