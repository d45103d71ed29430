package io.luagate.plugin.lua.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The thread-locals Lua code relies on ({@link LuaState#CURRENT}, the running filter...). With
 * {@link ThreadFibers} a Lua stack runs on a thread of its own, so every hand-over of control
 * carries these values from the thread that gives it to the thread that takes it: each stack sees
 * what it would see if all ran on the loop's thread, as with continuations.
 */
public final class FiberLocals {

    private static final CopyOnWriteArrayList<ThreadLocal<?>> CARRIED = new CopyOnWriteArrayList<>();

    private FiberLocals() {
    }

    /** Registers {@code local} (once, from a static initialiser). */
    public static void carry(ThreadLocal<?> local) {
        CARRIED.addIfAbsent(local);
    }

    /** This thread's values, in registration order. */
    static Object[] snapshot() {
        List<ThreadLocal<?>> locals = CARRIED;
        Object[] values = new Object[locals.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = locals.get(i).get();
        }
        return values;
    }

    /** Puts {@code values} of {@link #snapshot} in place on this thread. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void install(Object[] values) {
        List<ThreadLocal<?>> locals = CARRIED;
        for (int i = 0; i < values.length && i < locals.size(); i++) {
            ThreadLocal local = locals.get(i);
            if (values[i] == null) {
                local.remove();
            } else {
                local.set(values[i]);
            }
        }
    }
}
