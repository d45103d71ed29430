package io.luagate.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on 127.0.0.1 (a free port) for luagate to proxy to. It answers every
 * request 200 with its name as the body and in the {@value #SERVED_BY} header, so a test sees
 * which server a balancer chose, and records what it received. Each request is answered on its
 * own virtual thread, so a slow answer ({@link #respondAfter}) holds one request, not the server.
 */
public final class RecordingUpstream implements AutoCloseable {

    /** The response header naming the server that answered. */
    public static final String SERVED_BY = "x-served-by";

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;

    private RecordingUpstream(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 128);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a server named {@code name} (its answers carry the name). */
    public static RecordingUpstream start(String name) {
        try {
            return new RecordingUpstream(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start upstream " + name, e);
        }
    }

    /** The name of the server that answered {@code response}, from its {@value #SERVED_BY} header. */
    public static String servedBy(HttpResponse<?> response) {
        return response.headers().firstValue(SERVED_BY).orElse(null);
    }

    private void answer(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            received.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(headers), new String(body, StandardCharsets.UTF_8)));
            Duration wait = delay;
            if (!wait.isZero()) {
                Thread.sleep(wait);
            }
            byte[] answer = name.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add(SERVED_BY, name);
            exchange.getResponseHeaders().add("content-type", "text/plain");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Delays every later answer by {@code delay} (after the request was read and recorded). */
    public RecordingUpstream respondAfter(Duration delay) {
        this.delay = delay;
        return this;
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:port}: a server address for the configuration. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** The requests received so far, in order of arrival. */
    public List<RecordedRequest> received() {
        return List.copyOf(received);
    }

    /** How many requests this server received. */
    public int requests() {
        return received.size();
    }

    /** Requests being answered now (received, answer not yet sent). */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
