package io.luagate.plugin.admin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's HTTP server: the JDK's {@code com.sun.net.httpserver} on a small pool of threads
 * of its own. Chosen over a Netty server because the API is low-rate and its work may block (adding
 * a TLS server reads its certificate files, a reload reads and checks a whole configuration): on
 * plain threads that is harmless, while on luagate's event loops it would stall traffic, and a
 * Netty loop of its own would only move the blocking to an executor anyway. Nothing here touches a
 * ByteBuf. It checks the token before anything is read or changed, and answers every refusal as
 * JSON.
 */
final class AdminServer {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    /** A request body larger than this is refused (413): the API's bodies are a few fields. */
    static final int MAX_BODY = 64 * 1024;
    static final String REALM = "luagate-admin";

    private final AdminSettings settings;
    private final AdminApi api;
    private HttpServer server;
    private ExecutorService executor;

    AdminServer(AdminSettings settings, AdminApi api) {
        this.settings = settings;
        this.api = api;
    }

    /** Listens on {@code admin.bind}; a port that cannot be bound stops the start. */
    void start() throws IOException {
        // Bounds the time a client may take to send its request (the JDK's default waits forever);
        // read once, when the JDK's server class is first used, so set only if nobody chose otherwise.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
        AtomicInteger count = new AtomicInteger();
        executor = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread thread = new Thread(r, "luagate-admin-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server = HttpServer.create(settings.bind(), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("admin API on http://{}{} (writes: {}; reads: {})", ProxyViews.address(address()), Paths.PREFIX,
                settings.token() == null ? "refused, no token configured (admin.token-file or $" + AdminSettings.TOKEN_VARIABLE + ")"
                        : "token from " + settings.tokenFrom(),
                settings.openReads() ? "open" : settings.token() == null ? "refused (admin.open-reads = false)" : "token");
    }

    /** The address really bound (its port chosen by the system for port 0). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            try {
                List<String> path = Paths.segments(exchange.getRequestURI().getRawPath());
                if (path == null) {
                    throw ApiException.notFound("the admin API is under " + Paths.PREFIX);
                }
                boolean read = method.equals("GET") || method.equals("HEAD");
                authorize(exchange, read);
                Map<String, Object> body = body(exchange);
                ApiAnswer answer = api.answer(new ApiRequest(method, path, body));
                if (answer.location() != null) {
                    exchange.getResponseHeaders().set("Location", answer.location());
                }
                send(exchange, method, answer.status(), answer.body());
                if (!read) {
                    LOG.info("admin API: {} {} from {}: {}", method, exchange.getRequestURI().getRawPath(),
                            exchange.getRemoteAddress().getAddress().getHostAddress(), answer.status());
                }
            } catch (ApiException e) {
                send(exchange, method, e.status(), Map.of("error", e.getMessage()));
            } catch (AdminApi.MethodNotAllowed e) {
                exchange.getResponseHeaders().set("Allow", e.allow());
                send(exchange, method, 405, Map.of("error", e.getMessage()));
            } catch (IllegalArgumentException e) {
                send(exchange, method, 400, Map.of("error", String.valueOf(e.getMessage())));
            } catch (RuntimeException e) {
                LOG.warn("admin API: {} {} failed", method, exchange.getRequestURI().getRawPath(), e);
                send(exchange, method, 500, Map.of("error", e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }
        }
    }

    /**
     * Lets the request on, or refuses it: reads pass when {@code admin.open-reads} is set; anything
     * else needs the token. RFC 6750's answers: 401 with {@code WWW-Authenticate: Bearer} when no
     * token is sent, 401 with {@code error="invalid_token"} when a wrong one is; 403 when no token is
     * configured at all (no request can ever pass, so asking for credentials would mislead).
     */
    private void authorize(HttpExchange exchange, boolean read) {
        if (read && settings.openReads()) {
            return;
        }
        if (settings.token() == null) {
            throw new ApiException(403, (read ? "reads need a token" : "writes are refused")
                    + ": no admin token is configured (admin.token-file or $" + AdminSettings.TOKEN_VARIABLE + ")"
                    + (read ? "; or open reads with admin.open-reads = true" : ""));
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (BearerToken.presented(authorization) == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
            throw new ApiException(401, "a bearer token is required: Authorization: Bearer <token>");
        }
        if (!settings.token().admits(authorization)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"");
            throw new ApiException(401, "the bearer token is not the admin token");
        }
    }

    /** The request's JSON object, or an empty map when it sent no body. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        String length = headers.getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY) {
                    throw new ApiException(413, "the body is larger than " + MAX_BODY + " bytes");
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad Content-Length");
            }
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "the body is larger than " + MAX_BODY + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Map.of();
        }
        Object value = JsonReader.read(text);
        if (!(value instanceof Map<?, ?> map)) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    private static void send(HttpExchange exchange, String method, int status, Object body) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Cache-Control", "no-store");
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = (JsonWriter.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
        headers.set("Content-Type", "application/json; charset=utf-8");
        if (method.equals("HEAD")) {
            headers.set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
