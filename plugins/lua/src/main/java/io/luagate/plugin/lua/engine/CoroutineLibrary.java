package io.luagate.plugin.lua.engine;

import io.luagate.plugin.lua.lib.LuaArgs;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;

/** Lua's {@code coroutine} table on {@link Coroutine} fibers instead of LuaJ's thread per coroutine. */
final class CoroutineLibrary {

    private final LuaState state;
    /** The running coroutine when no luagate call is in progress (script body, init). */
    private Coroutine outsideCall;
    /** What {@code coroutine.running()} names outside coroutines: the state's main thread... */
    private final Coroutine mainThread = Coroutine.placeholder();
    /** ...and, inside a call, the thread HAProxy would run that call on (one stands for all). */
    private final Coroutine callThread = Coroutine.placeholder();

    CoroutineLibrary(LuaState state) {
        this.state = state;
    }

    LuaTable table() {
        LuaTable t = new LuaTable();
        t.set("create", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue f) {
                return new Coroutine(f.checkfunction(), state.engine.fibers);
            }
        });
        t.set("resume", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return resume(check(args.arg1()), args.subargs(2));
            }
        });
        t.set("yield", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Coroutine running = running();
                if (running == null) {
                    throw new LuaError("attempt to yield from outside a coroutine");
                }
                return running.yield(args);
            }
        });
        t.set("status", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue co) {
                return valueOf(check(co).status.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        t.set("running", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Coroutine running = running();
                if (running != null) {
                    return varargsOf(running, FALSE);
                }
                // Lua 5.3 always names a thread. HAProxy runs every action, fetch, service and task in
                // a coroutine of its own (not the main one); only a script body runs on the main thread.
                return state.hook.current != null ? varargsOf(callThread, FALSE) : varargsOf(mainThread, TRUE);
            }
        });
        t.set("isyieldable", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return valueOf(running() != null || state.hook.current != null);
            }
        });
        t.set("wrap", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue f) {
                Coroutine co = new Coroutine(f.checkfunction(), state.engine.fibers);
                return new VarArgFunction() {
                    @Override
                    public Varargs invoke(Varargs args) {
                        Varargs result = resume(co, args);
                        if (!result.arg1().toboolean()) {
                            LuaValue error = result.arg(2);
                            throw error.isstring() ? new LuaError(LuaArgs.jstring(error)) : new LuaError(error);
                        }
                        return result.subargs(2);
                    }
                };
            }
        });
        return t;
    }

    private static Coroutine check(LuaValue value) {
        if (value instanceof Coroutine co) {
            return co;
        }
        throw new LuaError("bad argument #1 (coroutine expected, got " + value.typename() + ")");
    }

    private Coroutine running() {
        LuaCall call = state.hook.current;
        return call != null ? call.coroutine : outsideCall;
    }

    private void running(Coroutine co) {
        LuaCall call = state.hook.current;
        if (call != null) {
            call.coroutine = co;
        } else {
            outsideCall = co;
        }
    }

    private Varargs resume(Coroutine co, Varargs args) {
        Coroutine previous = running();
        if (previous != null) {
            previous.status = Coroutine.Status.NORMAL;
        }
        running(co);
        try {
            return co.resume(args, state.hook.current);
        } finally {
            running(previous);
            if (previous != null) {
                previous.status = Coroutine.Status.RUNNING;
            }
        }
    }
}
