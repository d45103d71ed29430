package io.luagate.plugin.lua.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Suspendable Java stacks for Lua calls: a call that sleeps or waits for I/O parks its whole stack
 * (LuaJ's interpreter frames included) and the event loop goes on with other work; the call
 * resumes later on the same loop. Built on the JDK's continuations (the mechanism under virtual
 * threads), which cost about 0.1 us per call that does not yield and 0.2-0.5 us per yield, against
 * 8-47 us for handing a call to a virtual thread and back (reference/luaj-engine.md §7). Running on
 * the event loop itself also keeps per-thread states lock-free and lets Lua touch the stream
 * directly. It needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, which bin/luagate
 * passes; without it the plugin refuses to start with that advice.
 */
public final class Fibers {

    private static final String ADVICE = "the lua plugin needs the JVM option "
            + "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED (bin/luagate sets it)";

    /** Scope of one Lua call: sleeps, I/O waits and forced yields suspend up to here. */
    static final Object CALL_SCOPE;
    /** Scope of one Lua coroutine: coroutine.yield suspends up to here. */
    static final Object COROUTINE_SCOPE;

    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;
    private static final Throwable UNAVAILABLE;

    static {
        Object call = null;
        Object coroutine = null;
        MethodHandle create = null;
        MethodHandle run = null;
        MethodHandle yield = null;
        MethodHandle done = null;
        Throwable failure = null;
        try {
            Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle newScope = lookup.findConstructor(scope, MethodType.methodType(void.class, String.class));
            call = newScope.invoke("luagate-lua-call");
            coroutine = newScope.invoke("luagate-lua-coroutine");
            create = lookup.findConstructor(continuation, MethodType.methodType(void.class, scope, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = lookup.findVirtual(continuation, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = lookup.findStatic(continuation, "yield", MethodType.methodType(boolean.class, scope))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            done = lookup.findVirtual(continuation, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (Throwable e) {
            failure = e;
        }
        CALL_SCOPE = call;
        COROUTINE_SCOPE = coroutine;
        NEW = create;
        RUN = run;
        YIELD = yield;
        IS_DONE = done;
        UNAVAILABLE = failure;
    }

    private Fibers() {
    }

    /** @throws IllegalStateException with the JVM option to add, when continuations are not accessible */
    public static void requireAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(ADVICE + " (" + UNAVAILABLE + ")", UNAVAILABLE);
        }
    }

    /** A new suspended stack in {@code scope} that will run {@code body}. */
    static Object create(Object scope, Runnable body) {
        try {
            return NEW.invokeExact(scope, body);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Runs {@code fiber} until it ends or yields; returns whether it ended. */
    static boolean run(Object fiber) {
        try {
            RUN.invokeExact(fiber);
            return (boolean) IS_DONE.invokeExact(fiber);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Suspends the innermost fiber of {@code scope}; returns when it is run again. */
    static void yield(Object scope) {
        boolean yielded;
        try {
            yielded = (boolean) YIELD.invokeExact(scope);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (!yielded) {
            throw new IllegalStateException("the Lua call could not be suspended here");
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }
}
