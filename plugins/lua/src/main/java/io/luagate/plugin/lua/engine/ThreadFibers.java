package io.luagate.plugin.lua.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * {@link Fibers} on public JDK API only, for JVMs that do not open their continuations: each
 * stack runs on a virtual thread of its own, and control is handed over strictly, so exactly one
 * thread of a chain (the loop's thread, a call's, a coroutine's) runs at a time. Who runs a fiber
 * waits until it yields or ends; a fiber that yields waits until it is run again. A yield in the
 * call scope from inside a coroutine wakes the call's driver (the loop) directly and leaves the
 * coroutine's thread, and the call's thread waiting for it, parked: running the call again wakes the
 * coroutine's thread where it stopped. Each hand-over carries {@link FiberLocals} and is a volatile
 * write read by the thread that takes over, so what one thread wrote the next one sees.
 *
 * <p>A hand-over costs a park and an unpark (15-40 us here, against 0.1-0.5 us for
 * continuations; README of this plugin). Virtual threads have no allocation counter, so
 * {@code lua.maxmem} only bounds what runs on a loop's own thread in this mode: fetches and
 * converters outside coroutines. A stack that is never run again (a
 * coroutine dropped while suspended) leaves a parked virtual thread that the garbage collector
 * frees only when the JVM does not track all threads ({@code -Djdk.trackAllThreads=false}, which
 * bin/luagate passes).
 */
final class ThreadFibers implements Fibers {

    /** The fiber whose body runs on this thread; unset on threads that are not fibers' (the loops). */
    private static final ThreadLocal<ThreadFiber> SELF = new ThreadLocal<>();

    private static final int RUNNING = 0;
    private static final int YIELDED = 1;
    private static final int ENDED = 2;
    /** The fiber asks its driver to run {@link ThreadFiber#task} and hand back. */
    private static final int TASK = 3;

    private static final com.sun.management.ThreadMXBean COUNTERS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private static final java.util.concurrent.ThreadFactory THREADS = Thread.ofVirtual().name("lua-fiber-", 0).factory();

    @Override
    public Fiber create(FiberScope scope, Runnable body) {
        return new ThreadFiber(scope, body);
    }

    @Override
    public void yield(FiberScope scope) {
        ThreadFiber self = SELF.get();
        ThreadFiber target = self;
        while (target != null && target.scope != scope) {
            target = target.parent;
        }
        if (target == null) {
            throw new IllegalStateException("the Lua call could not be suspended here (no " + scope + " fiber runs)");
        }
        target.resumeAt = self;
        self.go = false;
        target.signal(YIELDED);
        self.awaitGo();
    }

    @Override
    public void onCarrier(Runnable task) {
        ThreadFiber self = SELF.get();
        if (self == null) {
            task.run();
            return;
        }
        ThreadFiber root = self;
        while (root.parent != null) {
            root = root.parent;
        }
        root.task = task;
        root.taskFrom = self;
        self.go = false;
        root.signal(TASK);
        self.awaitGo();
        Throwable failure = self.taskFailure;
        if (failure != null) {
            self.taskFailure = null;
            throw sneaky(failure);
        }
    }

    @Override
    public Thread driver() {
        ThreadFiber self = SELF.get();
        if (self == null) {
            return Thread.currentThread();
        }
        ThreadFiber root = self;
        while (root.parent != null) {
            root = root.parent;
        }
        return root.runner;
    }

    @Override
    public long allocatedBytes() {
        // Virtual threads have no counter of their own (ThreadMXBean answers -1 for them); a loop's
        // thread, where fetches and converters run, has one.
        return Thread.currentThread().isVirtual() ? -1 : COUNTERS.getCurrentThreadAllocatedBytes();
    }

    @Override
    public boolean sharesThread() {
        return false;
    }

    @Override
    public String describe() {
        return "a virtual thread per suspendable Lua call or coroutine, handed over strictly";
    }

    private static RuntimeException sneaky(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }

    /** One stack and its thread (started on the first run). */
    private static final class ThreadFiber implements Fiber {

        final FiberScope scope;
        private final Runnable body;
        private Thread thread;
        /** The fiber that ran this one last, or {@code null} when a thread that is no fiber's did. */
        ThreadFiber parent;
        /** The thread waiting in {@link #run} for this fiber. */
        Thread runner;
        /** What the runner waits for; set, then the runner unparked. */
        private volatile int signal = RUNNING;
        /** The fiber whose thread is parked where this one yielded: itself, or one nested in it. */
        ThreadFiber resumeAt;
        /** Set, then this fiber's thread unparked, when it may go on. */
        volatile boolean go;
        /** The values of {@link FiberLocals} handed over with the last transfer of control. */
        private Object[] carried;
        Runnable task;
        ThreadFiber taskFrom;
        Throwable taskFailure;
        private Throwable uncaught;
        private boolean ended;

        ThreadFiber(FiberScope scope, Runnable body) {
            this.scope = scope;
            this.body = body;
        }

        @Override
        public boolean run() {
            if (ended) {
                throw new IllegalStateException("this Lua stack has ended");
            }
            Thread me = Thread.currentThread();
            runner = me;
            parent = SELF.get();
            signal = RUNNING;
            Object[] values = FiberLocals.snapshot();
            if (thread == null) {
                resumeAt = this;
                carried = values;
                thread = THREADS.newThread(this::main);
                thread.start();
            } else {
                resumeAt.wake(values);
            }
            boolean interrupted = false;
            while (true) {
                int s = signal;
                if (s == RUNNING) {
                    LockSupport.park(this);
                    // A loop being shut down is interrupted: park would spin; keep the flag for later.
                    interrupted |= Thread.interrupted();
                } else if (s == TASK) {
                    runTask();
                } else {
                    break;
                }
            }
            if (interrupted) {
                me.interrupt();
            }
            FiberLocals.install(carried);
            parent = null;
            runner = null;
            if (signal == ENDED) {
                ended = true;
                thread = null;
                resumeAt = null;
                if (uncaught != null) {
                    Throwable e = uncaught;
                    uncaught = null;
                    throw sneaky(e);
                }
                return true;
            }
            return false;
        }

        /** On the runner: a nested stack asked for {@link #task} on this thread. */
        private void runTask() {
            FiberLocals.install(carried);
            Runnable t = task;
            ThreadFiber from = taskFrom;
            task = null;
            taskFrom = null;
            try {
                t.run();
            } catch (Throwable e) {
                from.taskFailure = e;
            }
            signal = RUNNING;
            from.wake(FiberLocals.snapshot());
        }

        /** On another thread: this fiber's thread may go on, seeing {@code values}. */
        void wake(Object[] values) {
            carried = values;
            go = true;
            LockSupport.unpark(thread);
        }

        /** On this fiber's thread: waits for {@link #wake}. */
        void awaitGo() {
            while (!go) {
                LockSupport.park(this);
            }
            FiberLocals.install(carried);
        }

        /** On the thread giving control back: tells the runner, with this thread's values. */
        void signal(int what) {
            carried = FiberLocals.snapshot();
            Thread r = runner;
            signal = what;
            LockSupport.unpark(r);
        }

        private void main() {
            SELF.set(this);
            FiberLocals.install(carried);
            try {
                body.run();
            } catch (Throwable e) {
                uncaught = e;
            }
            SELF.remove();
            signal(ENDED);
        }
    }
}
