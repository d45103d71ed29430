package io.luagate.e2e.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test upstream on 127.0.0.1: an echo (200, text/plain, the request line, header lines and body
 * as received) or a fixed raw answer. Every request it reads goes to the shared inbox before it
 * answers, so the runner finds it there once the client has its response. One thread per
 * connection: the corpus sends a handful of requests per case.
 */
final class CaseUpstream implements AutoCloseable {

    private final int index;
    private final byte[] fixedAnswer;
    private final Queue<ReceivedRequest> inbox;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    CaseUpstream(int index, ServerSocket server, byte[] fixedAnswer, Queue<ReceivedRequest> inbox) {
        this.index = index;
        this.server = server;
        this.fixedAnswer = fixedAnswer;
        this.inbox = inbox;
        Thread.ofVirtual().name("corpus-upstream-" + index).start(this::accept);
    }

    static ServerSocket bind() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                HttpHead head = HttpHead.read(in);
                if (head == null) {
                    return;
                }
                if (head.values("expect").contains("100-continue")) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                byte[] body = head.chunked() ? HttpHead.readChunked(in)
                        : head.contentLength() > 0 ? HttpHead.readLength(in, head.contentLength()) : new byte[0];
                inbox.add(new ReceivedRequest(index, head.startLine(), head.lines(), body));
                byte[] answer = fixedAnswer != null ? fixedAnswer : echo(head, body);
                out.write(answer);
                out.flush();
                if (head.values("connection").contains("close") || fixedAnswer != null && !persistent(fixedAnswer)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The proxy closed or sent something the upstream cannot parse: the connection ends.
        } finally {
            sockets.remove(socket);
        }
    }

    private static byte[] echo(HttpHead head, byte[] body) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.write((head.startLine() + "\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String line : head.lines()) {
            text.write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        text.write('\n');
        text.write(body);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        answer.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: " + text.size() + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        answer.write(text.toByteArray());
        return answer.toByteArray();
    }

    /** A fixed answer keeps its connection when it has a length or is chunked and does not say close. */
    private static boolean persistent(byte[] answer) {
        try {
            HttpHead head = HttpHead.read(new java.io.ByteArrayInputStream(answer));
            List<String> connection = head.values("connection");
            return !connection.contains("close") && (head.chunked() || head.contentLength() >= 0);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
