package io.luagate.plugin.lua.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;

/**
 * {@link Fibers} on the JDK's continuations (the mechanism under virtual threads): a suspended
 * stack is saved to the heap and the loop's own thread goes on; running it again mounts it back on
 * that thread. About 0.1 us per call that does not yield and 0.2-0.5 us per yield (README of this
 * plugin). Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, which bin/luagate
 * passes; without it {@code lua.suspension = auto} takes {@link ThreadFibers}.
 */
final class ContinuationFibers implements Fibers {

    private static final String ADVICE = "lua.suspension = continuation needs the JVM option "
            + "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED (bin/luagate sets it)";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final Object CALL_SCOPE;
    private static final Object COROUTINE_SCOPE;
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

    ContinuationFibers() {
        requireAvailable();
    }

    /** Why continuations cannot be used on this JVM, or {@code null} when they can. */
    static Throwable unavailable() {
        return UNAVAILABLE;
    }

    /** @throws IllegalStateException with the JVM option to add, when continuations are not accessible */
    static void requireAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(ADVICE + " (" + UNAVAILABLE + ")", UNAVAILABLE);
        }
    }

    @Override
    public Fiber create(FiberScope scope, Runnable body) {
        Object continuation;
        try {
            continuation = NEW.invokeExact(scope(scope), body);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        return () -> {
            try {
                RUN.invokeExact(continuation);
                return (boolean) IS_DONE.invokeExact(continuation);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        };
    }

    @Override
    public void yield(FiberScope scope) {
        boolean yielded;
        try {
            yielded = (boolean) YIELD.invokeExact(scope(scope));
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (!yielded) {
            // Pinned: a native frame or a held monitor on the stack.
            throw new IllegalStateException("the Lua call could not be suspended here");
        }
    }

    @Override
    public void onCarrier(Runnable task) {
        // The stack runs on the loop's own thread already.
        task.run();
    }

    @Override
    public Thread driver() {
        return Thread.currentThread();
    }

    @Override
    public long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    @Override
    public boolean sharesThread() {
        return true;
    }

    @Override
    public String describe() {
        return "JDK continuations on the event loops";
    }

    private static Object scope(FiberScope scope) {
        return scope == FiberScope.CALL ? CALL_SCOPE : COROUTINE_SCOPE;
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
