package io.luagate.plugin.lua.engine;

import io.netty.channel.EventLoop;
import java.util.concurrent.Semaphore;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * One Lua state: the shared one ({@code lua.load}, thread 0, behind a lock) or one of the
 * per-event-loop ones ({@code lua.load-per-thread}, threads 1..N, no lock: only their loop runs them).
 */
public final class LuaState {

    /** The state whose Lua runs on this thread now: string methods dispatch to its string table. */
    static final ThreadLocal<LuaState> CURRENT = new ThreadLocal<>();

    static {
        FiberLocals.carry(CURRENT);
    }

    /** The state whose Lua runs on this thread now, or {@code null}. */
    public static LuaState running() {
        return CURRENT.get();
    }

    /**
     * Calls {@code function} in this state's init context (configuration time: no call limits, no
     * yields), as the body of a script runs.
     */
    public Varargs callInit(LuaValue function, Varargs args) {
        LuaState outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return function.invoke(args);
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    final LuaEngine engine;
    final int thread;
    final Globals globals;
    final LuaHook hook;
    /** Errors on their way from {@code error} to a message handler. */
    final RaisedErrors raised;
    /** The shared state's lock: a permit, held for the thread that drives the calls ({@link Fibers#driver()}). */
    private final Semaphore lock;
    private volatile Thread lockOwner;
    /** How long calls waited for {@link #lock}; {@code null} for a per-thread state, which has none. */
    final LockWaits lockWaits;
    private int lockHolds;
    private EventLoop loop;
    final Registrations registrations = new Registrations();
    /**
     * The state's own string metatable, {@code {__index = string}}: what {@code getmetatable("")}
     * returns and what {@code ("x"):upper()} goes through while this state runs ({@link StringMetatable}).
     */
    LuaTable stringMetatable;
    /** The global names before any script ran: libraries, not the scripts' own. */
    java.util.Set<String> baseline;
    private Object api;
    /** Reports globals written at run time; set at start. */
    GlobalWrites globalWrites;

    /** The state's API objects ({@code io.luagate.plugin.lua.api.LuaApi}). */
    public Object api() {
        return api;
    }

    public void api(Object api) {
        this.api = api;
    }

    /** Whether init is over (the sandbox is locked down). */
    volatile boolean started;

    LuaState(LuaEngine engine, int thread, Globals globals, LuaHook hook, RaisedErrors raised) {
        this.engine = engine;
        this.thread = thread;
        this.globals = globals;
        this.hook = hook;
        this.raised = raised;
        this.lock = thread == 0 ? new Semaphore(1) : null;
        this.lockWaits = thread == 0 ? new LockWaits() : null;
    }

    /** 0 for the shared state, 1..N for the state of event loop N. */
    public int thread() {
        return thread;
    }

    public boolean shared() {
        return thread == 0;
    }

    public Globals globals() {
        return globals;
    }

    public LuaEngine engine() {
        return engine;
    }

    public Registrations registrations() {
        return registrations;
    }

    /** The loop of a per-thread state; {@code null} for the shared state. */
    public EventLoop loop() {
        return loop;
    }

    void loop(EventLoop loop) {
        this.loop = loop;
    }

    /** The call running in this state now, or {@code null} (loading, init). */
    public LuaCall currentCall() {
        return hook.current;
    }

    /**
     * Takes the shared state's lock, re-entrantly. The owner is the driving thread rather than the
     * caller: with {@link ThreadFibers} a call nested in a call (a Lua fetch that an action's
     * {@code txn.f} runs) enters on the outer call's fiber thread while its loop holds the lock.
     */
    void lock() {
        if (lock != null) {
            Thread owner = engine.fibers.driver();
            if (lockOwner == owner) {
                lockHolds++;
                return;
            }
            if (!lock.tryAcquire()) {
                // Contended: another loop's call runs in the state. Only this path is timed.
                long start = System.nanoTime();
                lock.acquireUninterruptibly();
                lockWaits.waited(System.nanoTime() - start);
            }
            lockOwner = owner;
            lockHolds = 1;
        }
    }

    void unlock() {
        if (lock != null && --lockHolds == 0) {
            lockOwner = null;
            lock.release();
        }
    }

    /**
     * Puts {@code handler} in place as the state's error handler and returns the previous one: a
     * call that yields inside {@code xpcall} takes its handler with it.
     */
    LuaValue swapErrorHandler(LuaValue handler) {
        LuaValue previous = globals.running.errorfunc;
        globals.running.errorfunc = handler == null ? engine.errorRecorder : handler;
        return previous;
    }
}
