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
 * An origin server that answers the first request head of each connection with fixed bytes, then
 * records everything else the connection brings until it closes (what would cross a tunnel).
 */
final class ScriptedOrigin implements AutoCloseable {

    private final ServerSocket server;
    private final String answer;
    private final StringBuffer received = new StringBuffer();

    ScriptedOrigin(String answer) throws IOException {
        this.answer = answer;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "scripted-origin");
        accept.setDaemon(true);
        accept.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    /** Every byte the origin has read so far, on all connections. */
    String received() {
        return received.toString();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread thread = new Thread(() -> serve(socket), "scripted-origin-conn");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(3_000);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                received.append((char) b);
                if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    break;
                }
            }
            while ((b = in.read()) >= 0) {
                received.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            // Nothing more came: fine.
        } catch (IOException e) {
            // The proxy closed: fine.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
