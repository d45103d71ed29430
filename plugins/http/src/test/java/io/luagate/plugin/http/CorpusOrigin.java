package io.luagate.plugin.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The corpus's origin: it records every byte it receives, on every connection, and answers each
 * connection once with fixed raw bytes: when a request head has come and the proxy has then been
 * quiet for a moment (so a body the proxy streams after its head is recorded before the answer).
 */
final class CorpusOrigin implements AutoCloseable {

    private static final int QUIET_MILLIS = 100;

    private final ServerSocket server;
    private final byte[] answer;
    private final boolean closeAfterAnswer;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile int connections;

    CorpusOrigin(String answer, boolean closeAfterAnswer) throws IOException {
        this.answer = answer.getBytes(StandardCharsets.ISO_8859_1);
        this.closeAfterAnswer = closeAfterAnswer;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "corpus-origin");
        accept.setDaemon(true);
        accept.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    /** Every byte read so far, all connections in order of arrival. */
    String received() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    int connections() {
        return connections;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections++;
                Thread thread = new Thread(() -> serve(socket), "corpus-origin-conn");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(QUIET_MILLIS);
            InputStream in = socket.getInputStream();
            StringBuilder mine = new StringBuilder();
            boolean answered = false;
            long deadline = System.currentTimeMillis() + 5_000;
            byte[] buf = new byte[4096];
            while (System.currentTimeMillis() < deadline) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException quiet) {
                    if (!answered && mine.indexOf("\r\n\r\n") >= 0) {
                        answered = true;
                        socket.getOutputStream().write(answer);
                        socket.getOutputStream().flush();
                        if (closeAfterAnswer) {
                            return;
                        }
                    }
                    continue;
                }
                if (n < 0) {
                    return;
                }
                synchronized (received) {
                    received.write(buf, 0, n);
                }
                mine.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // The proxy reset or closed the connection: what came is recorded.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
