package io.luagate.plugin.lua.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server on 127.0.0.1 (or another loopback address) that runs a test's script on each
 * accepted connection, one thread each, and counts the connections it accepted.
 */
final class LoopbackServer implements AutoCloseable {

    /** What the server does with one connection; {@code number} counts from 1. */
    interface Handler {
        void serve(Socket socket, int number) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private LoopbackServer(InetAddress address, Handler handler) throws IOException {
        server = new ServerSocket(0, 50, address);
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    int number = accepted.incrementAndGet();
                    threads.execute(() -> {
                        try (socket) {
                            handler.serve(socket, number);
                        } catch (Exception e) {
                            if (!server.isClosed()) {
                                failures.add(e);
                            }
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    static LoopbackServer start(Handler handler) throws IOException {
        return new LoopbackServer(InetAddress.getLoopbackAddress(), handler);
    }

    static LoopbackServer start(InetAddress address, Handler handler) throws IOException {
        return new LoopbackServer(address, handler);
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
