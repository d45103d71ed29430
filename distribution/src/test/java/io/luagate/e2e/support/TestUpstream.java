package io.luagate.e2e.support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 upstream server on 127.0.0.1 for the tests: one platform thread per connection,
 * keep-alive, Content-Length and chunked request bodies. What it answers is up to a
 * {@link Handler}; it records every connection and the requests each one carried, so tests can
 * assert how the proxy used its connections.
 */
public final class TestUpstream implements AutoCloseable {

    /** What the handler decides for one request. */
    public interface Handler {
        /**
         * Writes the answer to {@code out}, or returns {@code false} to close the connection
         * without answering.
         */
        boolean handle(Http.Message request, Connection connection, OutputStream out) throws IOException, InterruptedException;
    }

    /** One accepted connection and the requests it carried, in order. */
    public static final class Connection {
        public final int number;
        public final List<Http.Message> requests = new CopyOnWriteArrayList<>();
        public volatile boolean closedByPeer;

        Connection(int number) {
            this.number = number;
        }
    }

    private final String name;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Handler handler;

    private TestUpstream(String name, Handler handler) throws IOException {
        this(name, handler, new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
    }

    private TestUpstream(String name, Handler handler, ServerSocket server) {
        this.name = name;
        this.handler = handler;
        this.server = server;
        threads.execute(this::acceptLoop);
    }

    /**
     * A server on {@code port} (SO_REUSEADDR): a server a test killed ({@link #close}) comes back
     * on the same address, as a restarted process would.
     */
    public static TestUpstream on(int port, String name, Handler handler) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return new TestUpstream(name, handler, server);
    }

    /** A server that answers 200 with "name path" as the body, keep-alive. */
    public static TestUpstream named(String name) throws IOException {
        return new TestUpstream(name, (request, connection, out) -> {
            respond(out, 200, Map.of("X-Served-By", name), (name + " " + request.target()).getBytes(StandardCharsets.UTF_8));
            return true;
        });
    }

    public static TestUpstream with(String name, Handler handler) throws IOException {
        return new TestUpstream(name, handler);
    }

    /** Writes a response with a Content-Length body. */
    public static void respond(OutputStream out, int status, Map<String, String> headers, byte[] body) throws IOException {
        Http.write(out, "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Status"), headers, body);
    }

    public void handler(Handler handler) {
        this.handler = handler;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public String name() {
        return name;
    }

    public List<Connection> connections() {
        return connections;
    }

    public int connectionCount() {
        return connections.size();
    }

    public int requestCount() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Connection connection = new Connection(connections.size() + 1);
                connections.add(connection);
                threads.execute(() -> serve(socket, connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, Connection connection) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (true) {
                Http.Message head = Http.readHead(in);
                if (head == null) {
                    connection.closedByPeer = true;
                    return;
                }
                Http.Message request = new Http.Message(head.startLine(), head.headers(),
                        Http.readBody(in, head, false, false));
                connection.requests.add(request);
                requests.incrementAndGet();
                if (!handler.handle(request, connection, out)) {
                    return;
                }
                out.flush();
                String connectionHeader = request.header("connection");
                if (connectionHeader != null && connectionHeader.equalsIgnoreCase("close")) {
                    return;
                }
            }
        } catch (SocketException e) {
            connection.closedByPeer = true;
        } catch (IOException | InterruptedException e) {
            connection.closedByPeer = true;
        }
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
