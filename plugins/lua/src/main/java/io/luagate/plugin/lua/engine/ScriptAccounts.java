package io.luagate.plugin.lua.engine;

import io.luagate.spi.extension.ScriptFunctionStats;
import io.luagate.spi.extension.ScriptStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;

/**
 * Per-function accounting ({@code lua.accounting}): one entry per registered function, with an
 * account in each state that runs it ({@link FunctionAccount}, by thread number: 0 the shared
 * state, 1..N the per-thread ones), so that no two loops ever write the same counters. Entries are
 * made when names are entered into the rule language, and when tasks and init functions first run
 * (a task registered again at run time from the same place adds to the same entry).
 */
public final class ScriptAccounts {

    private record Entry(String name, String kind, FunctionAccount[] byThread) {
    }

    private final boolean enabled;
    private final int threads;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** The entries in the order they were made, for the report. */
    private final List<Entry> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LockWaits lockWaits;
    private final FunctionAccount[] none;

    /**
     * @param enabled   {@code lua.accounting}: without it every account is {@code null} and calls count nothing
     * @param threads   the highest thread number of a state
     * @param lockWaits the shared state's lock figures, or {@code null} when there is no shared state
     */
    ScriptAccounts(boolean enabled, int threads, LockWaits lockWaits) {
        this.enabled = enabled;
        this.threads = threads;
        this.lockWaits = lockWaits;
        this.none = new FunctionAccount[threads + 1];
    }

    /**
     * The accounts of the function registered as {@code name} of {@code kind}, by thread number
     * (index with {@link LuaState#thread()}); every element is {@code null} when accounting is off.
     */
    public FunctionAccount[] of(String kind, String name) {
        if (!enabled) {
            return none;
        }
        return entries.computeIfAbsent(kind + '\0' + name, key -> {
            FunctionAccount[] accounts = new FunctionAccount[threads + 1];
            for (int i = 0; i < accounts.length; i++) {
                accounts[i] = new FunctionAccount();
            }
            Entry entry = new Entry(name, kind, accounts);
            order.add(entry);
            return entry;
        }).byThread;
    }

    /** The account of a task or init function, which has no name: it is known by where it is defined. */
    FunctionAccount unnamed(String kind, LuaValue function, LuaState state) {
        return of(kind, where(function))[state.thread()];
    }

    /** {@code checks.lua:12}: the chunk and line of a Lua function, as Lua's messages name them. */
    static String where(LuaValue function) {
        if (function instanceof LuaClosure closure) {
            return ChunkId.of(closure.p.source.tojstring()) + ":" + closure.p.linedefined;
        }
        return "[C]";
    }

    /** The figures now, every state's added up per function. */
    public ScriptStats snapshot() {
        List<ScriptFunctionStats> functions = new ArrayList<>(order.size());
        for (Entry entry : order) {
            long calls = 0;
            long errors = 0;
            long timeouts = 0;
            long runNanos = 0;
            long sampledCalls = 0;
            long sampledBytes = 0;
            for (FunctionAccount account : entry.byThread) {
                calls += account.calls();
                errors += account.errors();
                timeouts += account.timeouts();
                runNanos += account.runNanos();
                sampledCalls += account.sampledCalls();
                sampledBytes += account.sampledBytes();
            }
            long allocated = sampledCalls == 0 ? -1 : (long) ((double) sampledBytes * calls / sampledCalls);
            functions.add(new ScriptFunctionStats(entry.name, entry.kind, calls, errors, timeouts, runNanos, allocated));
        }
        return lockWaits == null ? new ScriptStats(functions, 0, 0, 0)
                : new ScriptStats(functions, lockWaits.waits(), lockWaits.nanos(), lockWaits.maxNanos());
    }
}
