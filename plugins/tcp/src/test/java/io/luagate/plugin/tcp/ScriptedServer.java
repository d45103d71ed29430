package io.luagate.plugin.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real server on 127.0.0.1 that runs a script (blocking socket I/O, on its own thread) for each
 * connection; what a script reports goes to a queue the test reads.
 */
final class ScriptedServer implements AutoCloseable {

    /** What the server does with one connection. */
    @FunctionalInterface
    interface Script {
        void run(Socket socket, BlockingQueue<String> report) throws Exception;
    }

    private final ServerSocket socket;
    private final BlockingQueue<String> report = new LinkedBlockingQueue<>();

    ScriptedServer(Script script) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    connection.setSoTimeout(5_000);
                    script.run(connection, report);
                } catch (Exception e) {
                    if (!socket.isClosed()) {
                        report.add("error: " + e);
                    }
                }
            }
        }, "scripted-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    /** The next thing a script reported. */
    String next() throws InterruptedException {
        String line = report.poll(5, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("the server reported nothing within 5 s");
        }
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
