package io.luagate.plugin.lua.engine;

import io.luagate.plugin.lua.api.LuaApi;
import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.sample.SampleLibrary;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lua states of one luagate: the shared state of {@code lua.load} and one state per event loop
 * for {@code lua.load-per-thread}, loaded at configuration time, initialised and locked down at
 * start. Decides which state serves a registered name.
 */
public final class LuaEngine {

    private static final Logger LOG = LoggerFactory.getLogger("io.luagate.lua");


    final LuaSettings settings;
    /** How calls and coroutines suspend ({@code lua.suspension}). */
    final Fibers fibers;
    private final boolean limitsMemory;
    private final Path home;
    final PatternFiles patterns;
    final SampleLibrary samples;
    /** Records the traceback of an error where it is raised, then lets Lua carry on with the plain message. */
    final LuaValue errorRecorder;
    private final LuaState shared;
    private final List<LuaState> perThread = new ArrayList<>();
    private final Map<EventLoop, LuaState> byLoop = new IdentityHashMap<>();
    private final List<LuaCall> tasks = new ArrayList<>();
    private final Map<EventLoop, ForcedYields> forcedYields = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** Where the io library's file work runs (one pool for all states). */
    private final FileWorkers fileWorkers;
    private ExtensionRuntime runtime;
    private List<EventLoop> loops = List.of();
    /** Per-function figures ({@code lua.accounting}). */
    private final ScriptAccounts accounts;

    public LuaEngine(LuaSettings settings, Path home, PatternFiles patterns, SampleLibrary samples, int eventLoops) {
        this.settings = settings;
        this.fibers = settings.suspension().select();
        this.limitsMemory = settings.maxMemory() > 0;
        if (limitsMemory && fibers instanceof ThreadFibers) {
            LOG.warn("lua: with lua.suspension = thread, lua.maxmem bounds only fetches and converters outside "
                    + "coroutines: virtual threads cannot count their allocations");
        }
        this.fileWorkers = new FileWorkers(settings.runtimeIo());
        this.home = home;
        this.patterns = patterns;
        this.samples = samples;
        this.errorRecorder = new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaState state = LuaState.CURRENT.get();
                if (state != null) {
                    LuaCall call = state.hook.current;
                    if (call != null) {
                        call.lastTraceback = state.hook.frames.traceback();
                    }
                    state.globals.running.errorfunc = this;
                    return state.raised.forHandler(args.arg1());
                }
                return ErrorText.of(args.arg1());
            }
        };
        this.shared = settings.load().isEmpty() ? null : load(0, settings.load());
        if (!settings.loadPerThread().isEmpty()) {
            for (int thread = 1; thread <= eventLoops; thread++) {
                perThread.add(load(thread, settings.loadPerThread()));
            }
        }
        this.accounts = new ScriptAccounts(settings.accounting(), eventLoops, shared == null ? null : shared.lockWaits);
        checkNames();
        if (!perThread.isEmpty()) {
            for (PerThreadWrites.Write write : PerThreadWrites.find(perThread.get(0).registrations)) {
                warnings.add(write.warning());
                LOG.warn(write.warning());
            }
        }
    }

    /**
     * What the per-thread scripts do that a per-thread state cannot do as the script expects:
     * writes of state between calls, which each thread's copy keeps for itself ({@link PerThreadWrites}).
     */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Script errors and name conflicts found while loading; empty when all is well. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public LuaSettings settings() {
        return settings;
    }

    public PatternFiles patterns() {
        return patterns;
    }

    public SampleLibrary samples() {
        return samples;
    }

    /** Every state: the shared one first when there is one. */
    public List<LuaState> states() {
        List<LuaState> all = new ArrayList<>();
        if (shared != null) {
            all.add(shared);
        }
        all.addAll(perThread);
        return all;
    }

    /** Per-function figures: where calls count, and the report ({@code lua.accounting}). */
    public ScriptAccounts accounts() {
        return accounts;
    }

    /** The proxies and loops, once luagate started ({@code core.backends}...); {@code null} before. */
    public ExtensionRuntime runtime() {
        return runtime;
    }

    private LuaState load(int thread, List<String> files) {
        List<Path> roots = new ArrayList<>();
        for (String file : files) {
            Path parent = home.resolve(file).toAbsolutePath().normalize().getParent();
            if (parent != null && !roots.contains(parent)) {
                roots.add(parent);
            }
        }
        for (String pattern : settings.prependPath()) {
            int slash = pattern.lastIndexOf('/');
            Path dir = home.resolve(slash < 0 ? "." : pattern.substring(0, slash)).toAbsolutePath().normalize();
            if (!roots.contains(dir)) {
                roots.add(0, dir);
            }
        }
        StringMetatable.install();
        LuaHook hook = new LuaHook(settings.forcedYield());
        RaisedErrors raised = new RaisedErrors(hook);
        Globals globals = Sandbox.create(hook, raised, home, roots, settings.prependPath(), fileWorkers);
        LuaState state = new LuaState(this, thread, globals, hook, raised);
        globals.running.errorfunc = errorRecorder;
        globals.set("coroutine", new CoroutineLibrary(state).table());
        // Long library calls (pattern matching) check the running call's limits as the hook does.
        io.luagate.plugin.lua.lib.Lua53Library.install(globals, () -> {
            LuaCall call = hook.current;
            if (call != null) {
                call.tick();
            }
        });
        io.luagate.plugin.lua.lib.Lua53Library.installError(globals, raised);
        globals.get("package").get("loaded").set("utf8", globals.get("utf8"));
        state.stringMetatable = StringMetatable.create(globals.get("string").checktable());
        globals.set("getmetatable", new StateGetmetatable(state, globals.get("getmetatable")));
        LuaApi.install(state);
        state.baseline = new LinkedHashSet<>(Sandbox.names(globals));
        LuaState.CURRENT.set(state);
        try {
            for (String file : files) {
                Path path = home.resolve(file).normalize();
                hook.initDeadline(settings.burstTimeoutNanos());
                try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                    globals.load(reader, "@" + file).call();
                } catch (IOException e) {
                    problems.add(file + ": cannot read: " + e.getMessage());
                } catch (LuaError e) {
                    problems.add(e.getMessage());
                } catch (LuaAbort e) {
                    problems.add(e.getMessage());
                } catch (CallDone e) {
                    // core.done() in a script body ends the body, as in HAProxy.
                }
            }
        } finally {
            hook.clearInitDeadline();
            LuaState.CURRENT.remove();
        }
        return state;
    }

    /** HAProxy's rule: a name lives in the shared state or in every per-thread state, never both. */
    private void checkNames() {
        if (shared != null && !perThread.isEmpty()) {
            for (String name : shared.registrations.names().keySet()) {
                if (perThread.get(0).registrations.names().containsKey(name)) {
                    problems.add("lua: " + name + " is registered both by lua.load and lua.load-per-thread scripts");
                }
            }
        }
        for (LuaState state : perThread) {
            if (!state.registrations.names().keySet().equals(perThread.get(0).registrations.names().keySet())) {
                problems.add("lua: the lua.load-per-thread scripts registered different names in thread "
                        + state.thread + " than in thread 1: " + state.registrations.names().keySet()
                        + " vs " + perThread.get(0).registrations.names().keySet());
            }
        }
    }

    /** The registrations that name the vocabulary: the shared state's and the first per-thread state's. */
    public List<Registrations> registrationSets() {
        List<Registrations> sets = new ArrayList<>();
        if (shared != null) {
            sets.add(shared.registrations);
        }
        if (!perThread.isEmpty()) {
            sets.add(perThread.get(0).registrations);
        }
        return sets;
    }

    /** Whether {@code registrations} belongs to the shared state. */
    public boolean isShared(Registrations registrations) {
        return shared != null && shared.registrations == registrations;
    }

    /** The state that serves a name registered by per-thread scripts, for the stream on {@code loop}. */
    public LuaState perThreadState(EventLoop loop) {
        LuaState state = byLoop.get(loop);
        if (state == null) {
            throw new IllegalStateException("no per-thread Lua state for " + loop);
        }
        return state;
    }

    public LuaState sharedState() {
        return shared;
    }

    /** Binds the per-thread states to their loops, runs the init functions, locks the states down, starts the tasks. */
    public void start(ExtensionRuntime runtime) {
        this.runtime = runtime;
        this.loops = runtime.eventLoops();
        io.luagate.plugin.lua.lib.HeapBudget.configure(settings.maxHeap());
        for (int i = 0; i < perThread.size(); i++) {
            perThread.get(i).loop(loops.get(i));
            byLoop.put(loops.get(i), perThread.get(i));
        }
        for (LuaState state : states()) {
            LuaApi.started(state);
            LuaState.CURRENT.set(state);
            try {
                for (LuaValue init : state.registrations.inits) {
                    state.hook.initDeadline(settings.burstTimeoutNanos());
                    runInit(state, init);
                }
            } catch (LuaError e) {
                throw new IllegalStateException("lua: an init function failed: " + e.getMessage(), e);
            } catch (LuaAbort e) {
                throw new IllegalStateException("lua: an init function failed: " + e.getMessage(), e);
            } catch (CallDone e) {
                // core.done() ends that init function only.
            } finally {
                state.hook.clearInitDeadline();
                LuaState.CURRENT.remove();
            }
            state.globalWrites = new GlobalWrites(state.hook, state.shared() ? "shared (lua.load)" : "per-thread (lua.load-per-thread)");
            Sandbox.lockDown(state.globals, state.baseline, state.globalWrites);
            state.started = true;
        }
        for (LuaState state : states()) {
            for (LuaValue task : state.registrations.tasks) {
                startTask(state, task);
            }
        }
    }

    /**
     * Runs one init function, counted as a call of its own (configuration time: on the starting
     * thread, whose counters are exact; a failure stops the start, so there is no error to count).
     */
    private void runInit(LuaState state, LuaValue init) {
        FunctionAccount account = settings.accounting() ? accounts.unnamed("init", init, state) : null;
        if (account == null) {
            init.call();
            return;
        }
        account.started(false);
        long allocatedBefore = fibers.allocatedBytes();
        long start = System.nanoTime();
        try {
            init.call();
        } finally {
            account.ran(System.nanoTime() - start);
            long allocatedAfter = fibers.allocatedBytes();
            if (allocatedBefore >= 0 && allocatedAfter >= 0) {
                account.sampled(allocatedAfter - allocatedBefore);
            }
        }
    }

    /** Starts {@code task} as a background Lua call on the state's loop (the first loop for the shared state). */
    public void startTask(LuaState state, LuaValue task) {
        EventLoop loop = state.shared() ? loops.get(0) : state.loop();
        loop.execute(() -> {
            LuaCall call = new LuaCall(state, "task", true, settings.taskTimeoutNanos(), loop)
                    .accountTo(settings.accounting() ? accounts.unnamed("task", task, state) : null);
            synchronized (tasks) {
                tasks.add(call);
            }
            call.start(task, LuaValue.NONE, outcome -> {
                synchronized (tasks) {
                    tasks.remove(call);
                }
                if (outcome.failed()) {
                    LOG.error("lua task failed: {}", outcome.error());
                }
            });
        });
    }

    /** Whether {@code lua.maxmem} is set (it applies where {@link Fibers#allocatedBytes()} can count). */
    boolean limitsMemory() {
        return limitsMemory;
    }

    /** The batch of yielded calls of {@code loop}. */
    ForcedYields forcedYields(EventLoop loop) {
        return forcedYields.computeIfAbsent(loop, ForcedYields::new);
    }

    /** Whether init is over: registrations made now are run at once (tasks) or refused (names). */
    public boolean started(LuaState state) {
        return state.started;
    }

    /** Cancels the running tasks. */
    public void stop() {
        fileWorkers.shutdown();
        List<LuaCall> running;
        synchronized (tasks) {
            running = new ArrayList<>(tasks);
        }
        for (LuaCall call : running) {
            call.loop().execute(call::cancel);
        }
    }

    /** Logs a failed call the way HAProxy does: what failed, the error, its traceback. */
    public static void logFailure(String what, String error) {
        LOG.error("lua: {} failed: {}", what, error);
    }
}
