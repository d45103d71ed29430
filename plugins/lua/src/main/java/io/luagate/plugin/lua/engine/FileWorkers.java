package io.luagate.plugin.lua.engine;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.luaj.vm2.LuaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@code io} library's file work runs. At init (loading, init functions) it runs at
 * once on the loading thread, where blocking is allowed, as in HAProxy. At run time an action,
 * service or task suspends while a small pool of threads does the work, so no event loop ever
 * waits for a disk; a fetch or converter cannot suspend, so file work there is an error.
 * Writes to the standard output and error streams are queued in order and never waited for.
 */
final class FileWorkers {

    private static final Logger LOG = LoggerFactory.getLogger("io.luagate.lua");
    private static final int THREADS = 2;
    /** Work waiting for a pool thread at most; beyond it a call gets an error rather than a queue without end. */
    private static final int QUEUE = 1024;

    /** One blocking step of the io library. */
    interface Work<T> {
        T run() throws IOException;
    }

    private final boolean runtimeAllowed;
    private volatile ExecutorService pool;
    private volatile ExecutorService console;
    private final AtomicLong consoleDropped = new AtomicLong();

    /** @param runtimeAllowed {@code lua.runtime-io}: whether file work is allowed once init is over */
    FileWorkers(boolean runtimeAllowed) {
        this.runtimeAllowed = runtimeAllowed;
    }

    /**
     * Runs {@code work} where the current context allows blocking and returns its result; the
     * calling Lua call is suspended meanwhile at run time. {@code function} names the Lua function
     * in errors ({@code io.open}).
     */
    <T> T run(String function, Work<T> work) throws IOException {
        LuaState state = LuaState.CURRENT.get();
        if (state == null || !state.started) {
            return work.run();
        }
        requireAllowed(function);
        LuaCall call = state.currentCall();
        if (call == null || !call.yieldable()) {
            throw new LuaError(function + " cannot run in a fetch or converter: they cannot yield, and file I/O would block "
                    + "the event loop (read the file at init, or in an action, service or task)");
        }
        Object[] result = new Object[1];
        IOException[] failure = new IOException[1];
        RuntimeException[] crash = new RuntimeException[1];
        Error[] error = new Error[1];
        call.suspend(resume -> {
            try {
                pool().execute(() -> {
                    try {
                        result[0] = work.run();
                    } catch (IOException e) {
                        failure[0] = e;
                    } catch (RuntimeException e) {
                        crash[0] = e;
                    } catch (Error e) {
                        // A read that filled the heap (a file without end): the call fails with it, and
                        // must be resumed to fail; the pool thread lives on.
                        error[0] = e;
                    }
                    call.loop().execute(resume);
                });
            } catch (RejectedExecutionException e) {
                failure[0] = new IOException("Resource temporarily unavailable (the Lua file I/O queue is full)");
                call.loop().execute(resume);
            }
        });
        if (crash[0] != null) {
            throw crash[0];
        }
        if (error[0] != null) {
            throw error[0];
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /**
     * Writes to a standard stream without waiting: at run time the bytes are queued for a thread of
     * their own (in order; dropped and counted when the queue is full), so even a fetch may write.
     */
    void writeDetached(String function, LuaFile file, byte[] bytes) throws IOException {
        requireAllowed(function);
        writeConsole(function, file, bytes);
    }

    /** {@link #writeDetached} for {@code print}, which {@code lua.runtime-io} does not govern. */
    void writeConsole(String function, LuaFile file, byte[] bytes) throws IOException {
        LuaState state = LuaState.CURRENT.get();
        if (state == null || !state.started) {
            file.write(bytes);
            file.flush();
            return;
        }
        try {
            console().execute(() -> {
                try {
                    file.write(bytes);
                    file.flush();
                } catch (IOException e) {
                    LOG.warn("lua: {} failed: {}", function, e.getMessage());
                } catch (Error e) {
                    // The console thread outlives it: later writes still go out.
                    LOG.error("lua: {} failed: {}", function, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            long dropped = consoleDropped.incrementAndGet();
            if (Long.bitCount(dropped) == 1) {
                LOG.warn("lua: {} writes dropped so far: the standard output cannot keep up", dropped);
            }
        }
    }

    /** Refuses work once init is over when the operator said {@code lua.runtime-io = false}. */
    void requireAllowed(String function) {
        LuaState state = LuaState.CURRENT.get();
        if (!runtimeAllowed && state != null && state.started) {
            throw new LuaError(function + " is not allowed at run time (lua.runtime-io = false)");
        }
    }

    private ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (this) {
                if (pool == null) {
                    pool = executor("lua-io", THREADS);
                }
                p = pool;
            }
        }
        return p;
    }

    private ExecutorService console() {
        ExecutorService c = console;
        if (c == null) {
            synchronized (this) {
                if (console == null) {
                    console = executor("lua-console", 1);
                }
                c = console;
            }
        }
        return c;
    }

    private static ExecutorService executor(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops the threads; work already queued still runs (a call waiting on it is being cancelled anyway). */
    void shutdown() {
        synchronized (this) {
            if (pool != null) {
                pool.shutdown();
            }
            if (console != null) {
                console.shutdown();
            }
        }
    }
}
