package io.luagate.plugin.lua.engine;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * One call from luagate into a Lua state (an action, fetch, converter, service or task) with its
 * limits. A yieldable call runs in a fiber ({@link Fibers}) driven by its event loop: sleeps, I/O
 * waits and forced yields suspend it and free the loop, and it resumes driven by the same loop.
 * Run time counts only the slices in which Lua runs, as HAProxy's {@code tune.lua.session-timeout}
 * does.
 */
public final class LuaCall {

    /** What a finished call produced: its values, or the error that ended it. */
    public record Outcome(Varargs values, String error) {

        public boolean failed() {
            return error != null;
        }
    }

    final LuaState state;
    private final String name;
    private final boolean yieldable;
    private final long timeoutNanos;
    private final EventLoop loop;
    private final CallFrames frames = new CallFrames();
    /** The frames being pushed: the call's own, or a running coroutine's. */
    private CallFrames active = frames;

    private Fiber fiber;
    /** What the last suspend asked to run once the stack is parked ({@link #suspend}). */
    private Consumer<Runnable> arm;
    private Throwable armFailure;
    private LuaCall outer;
    private LuaState outerState;
    private CallFrames outerFrames;
    private LuaValue savedErrorHandler;
    private long sliceStart;
    private long runNanos;
    private long allocationBase;
    private long allocated;
    /** Whether this call's slices read the allocation counter: for {@code lua.maxmem}, or as an accounting sample. */
    private boolean countingAllocation;
    /** Some of the call's Lua ran where the counter could not see it: its allocation is unknown. */
    private boolean allocationUnseen;
    /** The registered function's counters in this state ({@code lua.accounting}); {@code null}: not counted. */
    private FunctionAccount account;
    /** Whether this call is the account's allocation sample. */
    private boolean sampled;
    private boolean begun;
    /** A time limit ended the call (rather than a memory limit or the stream's end). */
    private boolean timedOut;
    private String abort;
    private boolean suspended;
    private boolean cancelled;
    /** {@code act.wake_time(ms)}: when an action that returned {@code act.YIELD} runs again; -1: not set. */
    private long wakeMillis = -1;
    private boolean finished;
    /** The coroutine of this call running now, or {@code null}. */
    Coroutine coroutine;
    /** The last error's text with its traceback, recorded when the error was raised. */
    String lastTraceback;
    /** Where the call was when a limit ended it, with the traceback. */
    private String abortTrace;
    private Outcome outcome;
    private Consumer<Outcome> done;
    /** The request (the stream's {@code Transaction}) this call works for; {@code null} for a task. */
    private Object request;
    /** What to close when the call ends (its sockets, its HTTP client connections); {@code null} until one is added. */
    private java.util.Set<Runnable> endHooks;

    /**
     * @param yieldable    whether the call may suspend (actions, services, tasks)
     * @param timeoutNanos Lua run time allowed; 0 = none
     * @param loop         the event loop the call belongs to (resumes happen there)
     */
    /** The state the call runs in. */
    public LuaState state() {
        return state;
    }

    public LuaCall(LuaState state, String name, boolean yieldable, long timeoutNanos, EventLoop loop) {
        this.state = state;
        this.name = name;
        this.yieldable = yieldable;
        this.timeoutNanos = timeoutNanos;
        this.loop = loop;
    }

    public String name() {
        return name;
    }

    /**
     * Counts this call in {@code account} (calls, errors, timeouts, run time, allocation), the
     * registered function's counters in this call's state; {@code null} counts nothing.
     */
    public LuaCall accountTo(FunctionAccount account) {
        this.account = account;
        return this;
    }

    /**
     * Ends the call before it runs, its Lua time budget spent by earlier runs ({@link #alreadyRan}):
     * it counts as a call that timed out, and {@code error} is its outcome.
     */
    public Outcome timedOutBeforeStart(String error) {
        if (account != null) {
            state.lock();
            try {
                account.started(false);
                account.failed(true);
            } finally {
                state.unlock();
            }
        }
        finished = true;
        return new Outcome(LuaValue.NONE, error);
    }

    /**
     * Says which request this call works for: the objects of that request (its TXN, HTTP, applet...)
     * work only inside calls made for it ({@code api.RequestBound}).
     */
    public LuaCall serving(Object request) {
        this.request = request;
        return this;
    }

    /**
     * Continues the Lua time budget of earlier runs of the same logical call: an action's
     * {@code act.YIELD} re-runs and a filter step's {@code filter.WAIT} re-runs share one
     * timeout, as the yields of one call do.
     */
    public LuaCall alreadyRan(long nanos) {
        this.runNanos = nanos;
        return this;
    }

    /** The Lua run time counted so far, earlier runs included ({@link #alreadyRan}). */
    public long ranNanos() {
        return runNanos;
    }

    /** The request this call works for, or {@code null} (a task). */
    public Object request() {
        return request;
    }

    public EventLoop loop() {
        return loop;
    }

    public boolean yieldable() {
        return yieldable;
    }

    /** Records {@code act.wake_time(ms)}. */
    public void wakeTime(long millis) {
        wakeMillis = Math.max(0, millis);
    }

    /** The delay {@code act.wake_time} set, or -1. */
    public long wakeTime() {
        return wakeMillis;
    }

    // ---- running -----------------------------------------------------------------------------

    /** Calls {@code function} to completion on this thread; it cannot yield. */
    public Outcome invoke(LuaValue function, Varargs args) {
        enter();
        Outcome result = null;
        try {
            result = new Outcome(function.invoke(args), null);
        } catch (CallDone e) {
            result = new Outcome(e.values(), null);
        } catch (Throwable e) {
            result = failure(e);
        } finally {
            exit(result);
            finished = true;
            runEndHooks();
        }
        return result;
    }

    /**
     * Starts {@code function} in a fiber and runs it until it ends or first suspends. When it ends,
     * {@code done} receives the outcome, on the loop (possibly before this returns).
     */
    public void start(LuaValue function, Varargs args, Consumer<Outcome> done) {
        fiber = state.engine.fibers.create(FiberScope.CALL, () -> {
            try {
                outcome = new Outcome(function.invoke(args), null);
            } catch (CallDone e) {
                outcome = new Outcome(e.values(), null);
            } catch (Throwable e) {
                outcome = failure(e);
            }
        });
        this.done = done;
        drive();
    }

    /**
     * Runs the fiber one slice, on the loop; once it is parked, arms what wakes it. Arming after the
     * stack is parked, on the loop's own thread, makes timers and I/O callbacks loop-confined with
     * either {@link Fibers} and lets an arm resume the call at once.
     */
    private void drive() {
        while (true) {
            suspended = false;
            enter();
            boolean ended = false;
            try {
                ended = fiber.run();
            } finally {
                exit(ended ? outcome : null);
            }
            if (ended) {
                finished = true;
                fiber = null;
                runEndHooks();
                done.accept(outcome);
                return;
            }
            Consumer<Runnable> a = arm;
            arm = null;
            if (a == null) {
                return;
            }
            try {
                a.accept(this::resumeIfSuspended);
                return;
            } catch (Throwable e) {
                // The wait could not be set up: the call goes on at once and meets the error where it waited.
                armFailure = e;
            }
        }
    }

    /**
     * Runs {@code hook} on the call's loop once the call has ended, however it ended: the call owns
     * what it opened (sockets, HTTP client connections) and closes it then. Only on the call's loop.
     */
    public void onEnd(Runnable hook) {
        if (endHooks == null) {
            endHooks = new java.util.LinkedHashSet<>();
        }
        endHooks.add(hook);
    }

    /** Forgets a hook of {@link #onEnd}: what it would close was closed earlier. */
    public void dropEndHook(Runnable hook) {
        if (endHooks != null) {
            endHooks.remove(hook);
        }
    }

    private void runEndHooks() {
        if (endHooks == null) {
            return;
        }
        // A hook may drop itself (a socket's close does): run from a copy.
        Runnable[] hooks = endHooks.toArray(Runnable[]::new);
        endHooks = null;
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                // The call's outcome must still be delivered, and the other hooks run.
                org.slf4j.LoggerFactory.getLogger("io.luagate.lua").warn("lua: closing what '{}' opened failed", name, e);
            }
        }
    }

    private void enter() {
        state.lock();
        LuaHook hook = state.hook;
        outer = hook.current;
        outerFrames = hook.frames;
        hook.current = this;
        hook.frames = active;
        savedErrorHandler = state.swapErrorHandler(savedErrorHandler);
        if (!begun) {
            begun = true;
            if (account != null) {
                // A call in a fiber of its own runs where the loop's counter cannot see it, unless
                // fibers run on the loop's thread (continuations).
                sampled = account.started(state.engine.fibers.sharesThread() || fiber == null);
            }
            countingAllocation = state.engine.limitsMemory() || sampled;
        }
        sliceStart = System.nanoTime();
        if (countingAllocation) {
            // Negative where the thread cannot count: this slice is then not charged.
            allocationBase = state.engine.fibers.allocatedBytes();
        }
        // Another state's call may be running on this thread (a nested call): restored at exit.
        outerState = LuaState.CURRENT.get();
        LuaState.CURRENT.set(state);
    }

    /** Leaves the state after a slice; {@code ended}: the call's outcome when this was its last slice. */
    private void exit(Outcome ended) {
        long slice = System.nanoTime() - sliceStart;
        runNanos += slice;
        if (countingAllocation) {
            long now = allocationBase < 0 ? -1 : state.engine.fibers.allocatedBytes();
            if (now < 0) {
                allocationUnseen = true;
            } else {
                allocated += now - allocationBase;
            }
        }
        if (account != null) {
            // Before the lock is released: a shared state's accounts are written under it.
            account.ran(slice);
            if (ended != null) {
                if (ended.failed() && !cancelled) {
                    account.failed(timedOut);
                }
                if (sampled && !allocationUnseen) {
                    account.sampled(allocated);
                }
            }
        }
        LuaHook hook = state.hook;
        hook.current = outer;
        hook.frames = outerFrames;
        savedErrorHandler = state.swapErrorHandler(savedErrorHandler);
        outer = null;
        outerFrames = null;
        if (outerState == null) {
            LuaState.CURRENT.remove();
        } else {
            LuaState.CURRENT.set(outerState);
        }
        outerState = null;
        state.unlock();
    }

    // ---- limits ------------------------------------------------------------------------------

    /** Called by the hook every forced-yield instructions. */
    void tick() {
        checkLimits();
        if (yieldable && fiber != null) {
            // HAProxy yields at every forced-yield tick: other streams of this loop go first.
            suspend(resume -> state.engine.forcedYields(loop).defer(resume));
        }
    }

    private void checkLimits() {
        if (abort != null) {
            throw new LuaAbort(abort);
        }
        long now = System.nanoTime();
        long slice = now - sliceStart;
        LuaSettings settings = state.engine.settings;
        if (timeoutNanos > 0 && runNanos + slice > timeoutNanos) {
            abort = "execution timeout";
            timedOut = true;
        } else if (settings.burstTimeoutNanos() > 0 && slice > settings.burstTimeoutNanos()) {
            abort = "execution timeout (burst-timeout: the call ran without a break for too long)";
            timedOut = true;
        } else if (state.engine.limitsMemory() && allocationBase >= 0 && overMemory(settings.maxMemory())) {
            abort = "not enough memory (lua.maxmem)";
        } else if (io.luagate.plugin.lua.lib.HeapBudget.over()) {
            abort = io.luagate.plugin.lua.lib.HeapBudget.refused();
        }
        if (abort != null) {
            if (abortTrace == null) {
                // Where the script was when the limit fired: the log names the line, as for any error.
                abortTrace = state.hook.frames.where() + ": " + state.hook.frames.traceback();
            }
            // Sticky: a script that catches something on the way out meets it again at the next tick.
            throw new LuaAbort(abort);
        }
    }

    private boolean overMemory(long max) {
        long now = state.engine.fibers.allocatedBytes();
        // A check on another thread than the slice's (a coroutine's with ThreadFibers) cannot tell.
        return now >= 0 && allocated + now - allocationBase > max;
    }

    /**
     * Suspends this call until {@code arm} wakes it: once the call's stack is parked, {@code arm}
     * runs on the call's loop with the task that resumes the call, and must run that task on the
     * loop (a timer, an I/O callback; at once is allowed). What {@code arm} throws is thrown here.
     * Lua errors when the call cannot yield (a fetch or converter), as HAProxy does.
     */
    public void suspend(Consumer<Runnable> arm) {
        if (!yieldable || fiber == null) {
            throw new LuaError("cannot yield here: '" + name + "' is a fetch, converter or init code, which must run to completion");
        }
        checkLimits();
        suspended = true;
        this.arm = arm;
        state.engine.fibers.yield(FiberScope.CALL);
        Throwable failure = armFailure;
        if (failure != null) {
            armFailure = null;
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) failure;
        }
        if (cancelled) {
            throw new LuaAbort("the stream ended");
        }
    }

    /**
     * Runs {@code task} on the call's event loop thread now, while the call waits: for Netty
     * operations and loop-confined objects (pools, the stream's writes) whose order with what the
     * loop itself does matters. Lua runs on the loop's thread with continuations, and on a thread
     * of its own while the loop waits for it with {@link ThreadFibers}.
     */
    public void onLoop(Runnable task) {
        state.engine.fibers.onCarrier(task);
    }

    /** {@link #onLoop(Runnable)} for a task with a result. */
    public <T> T fromLoop(java.util.function.Supplier<T> task) {
        Object[] result = new Object[1];
        state.engine.fibers.onCarrier(() -> result[0] = task.get());
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** Lets the loop serve other streams once, then goes on ({@code core.yield}). */
    public void yieldOnce() {
        suspend(resume -> state.engine.forcedYields(loop).defer(resume));
    }

    /** Sleeps {@code millis} of wall time without holding the loop. */
    public void sleep(long millis) {
        suspend(resume -> loop.schedule(resume, Math.max(0, millis), TimeUnit.MILLISECONDS));
    }

    private void resumeIfSuspended() {
        if (suspended && !finished) {
            drive();
        }
    }

    /**
     * The stream this call works for has ended: a suspended call is resumed to unwind (its
     * yield point raises an abort), a running one meets the abort at its next check.
     */
    public void cancel() {
        if (finished || cancelled) {
            return;
        }
        cancelled = true;
        if (abort == null) {
            abort = "the stream ended";
        }
        if (suspended) {
            loop.execute(this::resumeIfSuspended);
        }
    }

    /**
     * Lua of this call runs on another thread now (a coroutine's, with {@link ThreadFibers}), where
     * this call's allocation counter does not see it.
     */
    void runsElsewhere() {
        allocationUnseen = true;
    }

    /** Frames of a coroutine of this call become the hook's while it runs. */
    CallFrames swapFrames(CallFrames next) {
        CallFrames previous = active;
        active = next;
        state.hook.frames = next;
        return previous;
    }


    /**
     * How a call that threw ended, as one text with the place and the traceback: a script error, a
     * limit (where the script was when it fired), or an Error of the JVM itself (out of memory), which
     * must fail this call alone and never leave its stream waiting.
     */
    private Outcome failure(Throwable e) {
        String error = switch (e) {
            case LuaError le -> lastTraceback != null ? le.getMessage() + "\n" + lastTraceback : le.getMessage();
            case LuaAbort la -> abortTrace != null ? la.getMessage() + "\n" + abortTrace : la.getMessage();
            case StackOverflowError so -> "stack overflow" + (lastTraceback != null ? "\n" + lastTraceback : "");
            case OutOfMemoryError oom -> "not enough memory (the JVM heap is full: " + oom.getMessage() + ")";
            default -> {
                org.slf4j.LoggerFactory.getLogger("io.luagate.lua").error("lua: '{}' failed inside luagate", name, e);
                yield "internal error: " + e;
            }
        };
        return new Outcome(LuaValue.NONE, error);
    }

    /** Whether a limit ended this call: its error handlers must not run, nor anything catch the end. */
    boolean aborting() {
        return abort != null;
    }

    /** Throws the call's abort again if one is pending (after code that may have swallowed it). */
    void rethrowAbort() {
        if (abort != null) {
            throw new LuaAbort(abort);
        }
    }
}
