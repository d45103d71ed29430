package io.luagate.plugin.lua.engine;

/**
 * How Lua calls suspend: a call that sleeps, waits for I/O or is made to yield parks its whole
 * Java stack (LuaJ's interpreter frames included) and the event loop goes on with other work; the
 * call resumes later, driven from the same loop. Exactly one stack of an event loop runs at a time,
 * so Lua still sees single-threaded execution. Two implementations, chosen by
 * {@code lua.suspension} ({@link SuspensionMode}): {@link ContinuationFibers} (the JDK's internal
 * continuations: the stack stays on the loop's thread) and {@link ThreadFibers} (public API only:
 * each stack has a virtual thread of its own and control is handed over strictly).
 */
interface Fibers {

    /** A new stack in {@code scope} that will run {@code body} when first run. */
    Fiber create(FiberScope scope, Runnable body);

    /**
     * Suspends the innermost running fiber of {@code scope}, with every fiber nested in it; returns
     * when that fiber is run again.
     *
     * @throws IllegalStateException when no fiber of that scope is running here
     */
    void yield(FiberScope scope);

    /**
     * Runs {@code task} on the thread that drives the outermost running fiber (an event loop),
     * now, while this stack waits: for what must happen on the loop's own thread, such as Netty
     * operations whose order with the loop's own matters. Outside any fiber it just runs it.
     */
    void onCarrier(Runnable task);

    /**
     * The thread that drives the stack running here: this thread itself with continuations and
     * outside fibers, else the thread (an event loop) waiting for the outermost fiber. What a Lua
     * call holds (the shared state's lock) belongs to it, so a call nested in a call re-enters.
     */
    Thread driver();

    /**
     * Bytes allocated so far by this thread (a counter only differences of which mean something;
     * with continuations it includes the fibers the thread runs); -1 when it cannot tell.
     */
    long allocatedBytes();

    /**
     * Whether fibers run on the thread that runs them (continuations), so that its allocation
     * counter ({@link #allocatedBytes()}) sees what they allocate.
     */
    boolean sharesThread();

    /** For the log: what suspends Lua calls. */
    String describe();
}
