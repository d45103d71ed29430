package io.luagate.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.Settings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pausing, resuming and stopping a frontend's real listening sockets, next to the connection
 * limit: a pause releases the port (new connections are refused), a resume binds the same
 * address again, a stop is for good; accepted connections are never touched.
 */
class FrontendListenersTest {

    private final EventLoops loops = new EventLoops(2);
    private final List<Socket> clients = new ArrayList<>();
    private final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    private Listeners listeners;

    @AfterEach
    void close() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        if (listeners != null) {
            listeners.close();
        }
        loops.close();
    }

    private FrontendListeners frontend(ConnectionLimiter limiter, int binds) {
        listeners = new Listeners(loops, limiter);
        List<Settings.Bind> entries = new ArrayList<>();
        for (int i = 0; i < binds; i++) {
            entries.add(new Settings.Bind(new InetSocketAddress("127.0.0.1", 0), 0, "test:" + i));
        }
        return new FrontendListeners("fe", entries, limiter);
    }

    private void listen(FrontendListeners frontend, ConnectionLimiter limiter) {
        for (BoundListener listener : frontend.all()) {
            listeners.bind(listener, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (!limiter.tryAcquire()) {
                        ch.close();
                        return;
                    }
                    ch.closeFuture().addListener(f -> limiter.release());
                    accepted.add(ch);
                }
            });
        }
    }

    private Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        clients.add(socket);
        socket.connect(address, 2000);
        return socket;
    }

    private Channel acceptedWithin(long millis) throws InterruptedException {
        return accepted.poll(millis, TimeUnit.MILLISECONDS);
    }

    private static List<Channel> sockets(FrontendListeners frontend) {
        List<Channel> all = new ArrayList<>();
        frontend.all().forEach(listener -> all.addAll(listener.channels()));
        return all;
    }

    /** Pauses and waits for the released sockets to be closed (the pause itself does not wait). */
    private static void pauseAndWait(FrontendListeners frontend) throws InterruptedException {
        List<Channel> open = sockets(frontend);
        assertFalse(open.isEmpty());
        frontend.pause();
        assertTrue(sockets(frontend).isEmpty());
        for (Channel channel : open) {
            channel.closeFuture().sync();
        }
    }

    private static boolean refused(InetSocketAddress address) {
        try (Socket probe = new Socket()) {
            probe.connect(address, 500);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aPausedFrontendRefusesConnectionsAndResumesOnTheSameAddresses() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1000);
        FrontendListeners frontend = frontend(limiter, 2);
        listen(frontend, limiter);
        InetSocketAddress first = frontend.all().get(0).address();
        InetSocketAddress second = frontend.all().get(1).address();
        assertNotEquals(0, first.getPort(), "the address is the one really bound");
        assertNotEquals(first, second);
        connect(first);
        Channel served = acceptedWithin(2000);
        assertNotNull(served);

        pauseAndWait(frontend);
        assertTrue(frontend.paused());
        assertEquals(first, frontend.all().get(0).address(), "the address is kept for the resume");
        assertThrows(ConnectException.class, () -> connect(first));
        assertThrows(ConnectException.class, () -> connect(second));
        assertTrue(served.isActive(), "accepted connections go on");

        frontend.resume();
        assertFalse(frontend.paused());
        waitUntil(() -> frontend.all().stream().allMatch(l -> !l.channels().isEmpty()));
        connect(first);
        assertNotNull(acceptedWithin(2000));
        connect(second);
        assertNotNull(acceptedWithin(2000));
        // Pausing twice or resuming an open frontend changes nothing.
        frontend.resume();
        assertEquals(loops.epoll() ? 4 : 2, sockets(frontend).size());
    }

    /**
     * A reload keeps a bind: the new generation's listener takes the open sockets over, without
     * closing or binding anything, while a client connects in a loop; not one connect is refused.
     * The old frontend's stop then leaves them alone; the new one pauses and resumes them.
     */
    @Test
    void aNewGenerationTakesTheSocketsOverWithoutMissingAConnection() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100_000);
        FrontendListeners old = frontend(limiter, 1);
        listen(old, limiter);
        BoundListener was = old.all().get(0);
        InetSocketAddress address = was.address();
        List<Channel> sockets = List.copyOf(was.channels());
        FrontendListeners next = new FrontendListeners("fe", List.of(was.bind()), limiter);
        BoundListener now = next.all().get(0);

        AtomicInteger refused = new AtomicInteger();
        AtomicInteger connected = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread client = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try (Socket socket = new Socket()) {
                    socket.connect(address, 2000);
                    connected.incrementAndGet();
                } catch (IOException e) {
                    refused.incrementAndGet();
                }
            }
        });
        waitUntil(() -> connected.get() > 20);
        now.takeOver(was);
        old.stop();
        int atSwitch = connected.get();
        waitUntil(() -> connected.get() > atSwitch + 20);
        running.set(false);
        client.join();

        assertEquals(0, refused.get(), "connects refused around the hand-over");
        assertEquals(sockets, now.channels(), "the same sockets, never closed nor bound again");
        assertTrue(sockets.stream().allMatch(Channel::isActive));
        assertTrue(was.channels().isEmpty());
        assertEquals(address, now.address());
        assertSame(was.acceptor(), now.acceptor(), "connections go to the same acceptor, which the kernel reroutes");

        pauseAndWait(next);
        assertThrows(ConnectException.class, () -> connect(address));
        next.resume();
        waitUntil(() -> !now.channels().isEmpty());
        accepted.clear();
        connect(address);
        assertNotNull(acceptedWithin(2000), "resumed on the same address, with the same acceptor");
    }

    @Test
    void aStoppedFrontendStaysClosed() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1000);
        FrontendListeners frontend = frontend(limiter, 1);
        listen(frontend, limiter);
        InetSocketAddress address = frontend.all().get(0).address();
        connect(address);
        Channel served = acceptedWithin(2000);
        List<Channel> open = sockets(frontend);
        frontend.stop();
        for (Channel channel : open) {
            channel.closeFuture().sync();
        }
        assertTrue(frontend.stopped());
        assertThrows(ConnectException.class, () -> connect(address));
        frontend.resume();
        frontend.pause();
        assertFalse(frontend.paused());
        Thread.sleep(100);
        assertTrue(sockets(frontend).isEmpty());
        assertThrows(ConnectException.class, () -> connect(address));
        assertTrue(served.isActive());
    }

    @Test
    void theLimitAppliesToResumedSockets() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        FrontendListeners frontend = frontend(limiter, 1);
        listen(frontend, limiter);
        BoundListener listener = frontend.all().get(0);
        InetSocketAddress address = listener.address();
        connect(address);
        Channel first = acceptedWithin(2000);
        assertTrue(limiter.limited());
        assertTrue(listener.limited());
        // Resumed while the limit holds: bound again, but accepting nothing.
        pauseAndWait(frontend);
        assertFalse(listener.limited(), "a paused listener has no socket to hold back");
        frontend.resume();
        waitUntil(() -> !listener.channels().isEmpty());
        assertTrue(listener.limited());
        connect(address);
        assertNull(acceptedWithin(300));
        // Room again: the waiting client is taken.
        first.close().sync();
        assertNotNull(acceptedWithin(2000));
    }

    @Test
    void pausedBeforeListeningBindsOnResume() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1000);
        FrontendListeners frontend = frontend(limiter, 1);
        frontend.pause();
        listen(frontend, limiter);
        BoundListener listener = frontend.all().get(0);
        InetSocketAddress address = listener.address();
        assertNotEquals(0, address.getPort());
        assertTrue(listener.channels().isEmpty());
        // The sockets bound at start close at once (asynchronously): then nothing listens.
        waitUntil(() -> refused(address));
        frontend.resume();
        waitUntil(() -> !listener.channels().isEmpty());
        connect(address);
        assertNotNull(acceptedWithin(2000));
    }

    @Test
    void aResumeThatCannotBindLeavesTheFrontendPaused() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(1000);
        FrontendListeners frontend = frontend(limiter, 1);
        listen(frontend, limiter);
        InetSocketAddress address = frontend.all().get(0).address();
        pauseAndWait(frontend);
        // Another process takes the port meanwhile (HAProxy: "Port busy while trying to enable").
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(address);
            frontend.resume();
            waitUntil(frontend::paused);
            assertTrue(sockets(frontend).isEmpty());
        }
        frontend.resume();
        waitUntil(() -> !sockets(frontend).isEmpty());
        connect(address);
        assertNotNull(acceptedWithin(2000));
    }
}
