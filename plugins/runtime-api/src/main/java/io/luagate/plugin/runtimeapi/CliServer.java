package io.luagate.plugin.runtimeapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of the runtime API (the unix socket, or the loopback TCP address), served
 * with the JDK's blocking channels: one platform thread accepts, each connection runs on a virtual
 * thread of its own. A command may wait (a reload checks a whole configuration, a map update waits
 * for the update lock) without holding any event loop, and the event loops' transport (epoll, NIO)
 * does not matter. At most {@code maxconn} connections are served at a time (the next ones wait
 * in the kernel's backlog, as HAProxy's stats maxconn makes them wait); a connection idle for
 * {@code timeout} is closed.
 */
final class CliServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CliServer.class);

    private final ServerSocketChannel server;
    private final Path socketFile;
    private final String name;
    private final CommandTable commands;
    private final StatsSocketSettings settings;
    private final Semaphore slots;
    private final ScheduledExecutorService timer;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private CliServer(ServerSocketChannel server, Path socketFile, String name, CommandTable commands,
                      StatsSocketSettings settings, ScheduledExecutorService timer) {
        this.server = server;
        this.socketFile = socketFile;
        this.name = name;
        this.commands = commands;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxconn());
        this.timer = timer;
        this.acceptor = Thread.ofPlatform().daemon().name("luagate-runtime-api-" + name).unstarted(this::acceptLoop);
    }

    /**
     * Binds the unix socket {@code file}: a file left by a process that is gone is replaced; a socket
     * another process still answers on is refused.
     */
    static CliServer unix(Path file, CommandTable commands, StatsSocketSettings settings,
                          ScheduledExecutorService timer) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
        if (Files.exists(file)) {
            if (answers(address)) {
                throw new IOException("the runtime API socket " + file + " is in use by another process");
            }
            Files.delete(file);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(address, 64);
            if (settings.mode() != null) {
                Files.setPosixFilePermissions(file, permissions(Integer.parseInt(settings.mode(), 8)));
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new CliServer(server, file, file.toString(), commands, settings, timer).started();
    }

    /** Binds the loopback TCP address. */
    static CliServer tcp(InetSocketAddress address, CommandTable commands, StatsSocketSettings settings,
                         ScheduledExecutorService timer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(address, 64);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot bind the runtime API to " + address + ": " + e.getMessage(), e);
        }
        return new CliServer(server, null, address.toString(), commands, settings, timer).started();
    }

    private static boolean answers(UnixDomainSocketAddress address) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private CliServer started() {
        acceptor.start();
        LOG.info("runtime API listening on {} (level {})", name, settings.level().text());
        return this;
    }

    /** Where it listens (the socket file's address, or the TCP address with its port). */
    SocketAddress address() {
        try {
            return server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                slots.release();
                return;
            } catch (IOException e) {
                slots.release();
                if (!closed) {
                    LOG.warn("runtime API on {}: accept failed: {}", name, e.getMessage());
                    sleepAfterFailure();
                }
                continue;
            }
            open.add(client);
            Thread.ofVirtual().name("luagate-runtime-api-connection").start(() -> serve(client));
        }
    }

    /** A failing accept (no file descriptor left) is not retried in a tight loop. */
    private static void sleepAfterFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(SocketChannel client) {
        AtomicReference<ScheduledFuture<?>> idle = new AtomicReference<>();
        Runnable arm = () -> {
            ScheduledFuture<?> next;
            try {
                next = timer.schedule(() -> closeQuietly(client), settings.timeoutMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Stopping: the connection ends now rather than waiting without a timer.
                closeQuietly(client);
                return;
            }
            ScheduledFuture<?> previous = idle.getAndSet(next);
            if (previous != null) {
                previous.cancel(false);
            }
        };
        try {
            new CliSession(client, commands, settings.level(), arm).run();
        } catch (IOException e) {
            // The client went away or timed out: nothing to answer.
        } catch (RuntimeException e) {
            LOG.warn("runtime API connection on {} failed", name, e);
        } finally {
            ScheduledFuture<?> pending = idle.get();
            if (pending != null) {
                pending.cancel(false);
            }
            closeQuietly(client);
            open.remove(client);
            slots.release();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing is all that was asked.
        }
    }

    /** Stops listening, closes the open connections, removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the runtime API on {}", name, e);
        }
        acceptor.interrupt();
        open.forEach(CliServer::closeQuietly);
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                LOG.warn("cannot remove the runtime API socket {}: {}", socketFile, e.getMessage());
            }
        }
    }

    /** Makes the timer the servers share: one daemon thread, which only closes idle connections. */
    static ScheduledExecutorService newTimer() {
        return Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("luagate-runtime-api-timer").factory());
    }
}
