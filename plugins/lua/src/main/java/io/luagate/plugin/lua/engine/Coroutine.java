package io.luagate.plugin.lua.engine;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua coroutine as a fiber ({@link Fibers}) driven by its resumer. LuaJ's own coroutines start a
 * platform thread each (70-500 us to create, and they can outlive the JVM's main thread); these
 * cost a fiber, and a sleep inside one suspends the whole Lua call, as in HAProxy.
 */
final class Coroutine extends LuaValue {

    enum Status { SUSPENDED, RUNNING, NORMAL, DEAD }

    private final LuaValue function;
    private final Fibers fibers;
    private final CallFrames frames = new CallFrames();
    private Fiber fiber;
    Status status = Status.SUSPENDED;
    private Varargs transfer = LuaValue.NONE;
    private Throwable failure;
    Coroutine resumer;

    Coroutine(LuaValue function, Fibers fibers) {
        this.function = function;
        this.fibers = fibers;
    }

    @Override
    public int type() {
        return TTHREAD;
    }

    @Override
    public String typename() {
        return "thread";
    }

    /**
     * A thread value that runs no function of its own: what {@code coroutine.running()} returns
     * outside the coroutines a script created. It is running, so it cannot be resumed.
     */
    static Coroutine placeholder() {
        Coroutine co = new Coroutine(NIL, null);
        co.status = Status.RUNNING;
        return co;
    }

    /** Runs until the coroutine yields or ends; returns Lua's {@code true, ...} or {@code false, err}. */
    Varargs resume(Varargs args, LuaCall call) {
        if (status == Status.DEAD) {
            return LuaValue.varargsOf(FALSE, valueOf("cannot resume dead coroutine"));
        }
        if (status != Status.SUSPENDED) {
            return LuaValue.varargsOf(FALSE, valueOf("cannot resume non-suspended coroutine"));
        }
        if (fiber == null) {
            fiber = fibers.create(FiberScope.COROUTINE, () -> {
                try {
                    transfer = function.invoke(transfer);
                } catch (Throwable e) {
                    failure = e;
                }
            });
        }
        transfer = args;
        status = Status.RUNNING;
        CallFrames outer = call == null ? null : call.swapFrames(frames);
        if (call != null && !fibers.sharesThread()) {
            call.runsElsewhere();
        }
        boolean ended;
        try {
            ended = fiber.run();
        } finally {
            if (call != null) {
                call.swapFrames(outer);
            }
        }
        if (!ended) {
            status = Status.SUSPENDED;
            return LuaValue.varargsOf(TRUE, transfer);
        }
        status = Status.DEAD;
        fiber = null;
        if (failure != null) {
            Throwable e = failure;
            failure = null;
            if (e instanceof LuaError le) {
                LuaValue m = le.getMessageObject();
                return LuaValue.varargsOf(FALSE, m == null ? NIL : m);
            }
            if (e instanceof Error err) {
                // An abort (timeout, memory, core.done) goes on through the resumer: a coroutine cannot swallow it.
                throw err;
            }
            return LuaValue.varargsOf(FALSE, valueOf(String.valueOf(e)));
        }
        return LuaValue.varargsOf(TRUE, transfer);
    }

    /** Called inside the coroutine: hands {@code values} to the resumer and waits for the next resume. */
    Varargs yield(Varargs values) {
        transfer = values;
        fibers.yield(FiberScope.COROUTINE);
        return transfer;
    }
}
