package io.luagate.plugin.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An origin that records every byte each connection brings and answers each complete request
 * it reads: with a fixed 200 marked {@code x-origin: 1}, or with bytes the test sets (then it
 * closes, so that a response delimited by the close ends). Requests are read with
 * {@link Http1Framing}, so a badly framed request is recorded and never answered.
 */
final class RecordingOrigin implements AutoCloseable {

    static final String ANSWER = "HTTP/1.1 200 OK\r\nx-origin: 1\r\ncontent-length: 2\r\n\r\nok";

    /** What one connection brought. */
    static final class Connection {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final CountDownLatch closed = new CountDownLatch(1);

        synchronized byte[] received() {
            return received.toByteArray();
        }

        boolean awaitClose(long millis) throws InterruptedException {
            return closed.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    private final ServerSocket server;
    private volatile List<Connection> connections = new CopyOnWriteArrayList<>();
    private volatile byte[] answer;

    RecordingOrigin() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "recording-origin");
        accept.setDaemon(true);
        accept.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    /** Starts a new record; {@code answer}: the bytes to answer with, or null for {@link #ANSWER}. */
    void reset(byte[] answer) {
        this.answer = answer;
        connections = new CopyOnWriteArrayList<>();
    }

    /** The connections accepted since the last {@link #reset}. */
    List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Connection connection = new Connection();
                connections.add(connection);
                byte[] fixed = answer;
                Thread thread = new Thread(() -> serve(socket, connection, fixed), "recording-origin-conn");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket socket, Connection connection, byte[] fixed) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[8192];
            long answered = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                byte[] all;
                synchronized (connection) {
                    connection.received.write(buffer, 0, n);
                    all = connection.received.toByteArray();
                }
                Http1Framing.Reading reading = Http1Framing.requests(all, false);
                if (reading.violation() != null) {
                    continue;
                }
                for (; answered < reading.completeCount(); answered++) {
                    if (fixed == null) {
                        out.write(ANSWER.getBytes(StandardCharsets.ISO_8859_1));
                    } else {
                        out.write(fixed);
                        out.flush();
                        socket.shutdownOutput();
                    }
                }
                out.flush();
            }
        } catch (SocketTimeoutException e) {
            // The proxy kept the connection open and silent: what it sent is recorded.
        } catch (IOException e) {
            // Reset by the proxy: what it sent is recorded.
        } finally {
            connection.closed.countDown();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
