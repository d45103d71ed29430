package io.luagate.plugin.admin;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ProcessInfo;
import io.luagate.spi.extension.ReloadResult;
import io.luagate.spi.extension.ScriptFunctionStats;
import io.luagate.spi.extension.ScriptStats;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.tls.CertificateReload;
import io.luagate.spi.tls.TlsTerminator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's resources under {@code /api/v1}: what each method on each path reads or changes. Runs
 * on the admin server's own threads; every change goes through the SPI, whose objects are safe to
 * change from any thread (a server's state is seen by each loop's balancer at its next pick).
 */
final class AdminApi {

    private final ExtensionRuntime runtime;
    private final PatternResources patterns;

    /**
     * @param patterns the map and ACL files the extension was configured with: for an extension that
     *                 lives for the process, the kernel answers for the generation current at each call
     */
    AdminApi(ExtensionRuntime runtime, PatternFiles patterns) {
        this.runtime = runtime;
        this.patterns = new PatternResources(patterns);
    }

    /** The answer to {@code request}; a refusal is thrown as an {@link ApiException}. */
    ApiAnswer answer(ApiRequest request) {
        List<String> path = request.path();
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        String first = path.isEmpty() ? "" : path.get(0);
        int size = path.size();
        switch (first) {
            case "" -> {
                allow(method, "GET");
                return ApiAnswer.ok(index());
            }
            case "info" -> {
                only(size, 1);
                allow(method, "GET");
                return ApiAnswer.ok(info());
            }
            case "frontends" -> {
                allow(method, "GET");
                if (size == 1) {
                    List<Object> all = new ArrayList<>();
                    runtime.frontends().values().forEach(f -> all.add(ProxyViews.frontend(f)));
                    return ApiAnswer.ok(Map.of("frontends", all));
                }
                only(size, 2);
                return ApiAnswer.ok(ProxyViews.frontend(frontend(path.get(1))));
            }
            case "backends" -> {
                return backends(request, method, path);
            }
            case "maps" -> {
                return patterns.maps(request, method, path);
            }
            case "acls" -> {
                return patterns.acls(request, method, path);
            }
            case "reload" -> {
                only(size, 1);
                allow(method, "POST");
                return reload();
            }
            case "lua" -> {
                only(size, 1);
                allow(method, "GET");
                return ApiAnswer.ok(lua());
            }
            case "certificates" -> {
                only(size, 2);
                if (!path.get(1).equals("reload")) {
                    throw ApiException.notFound("no such resource: /api/v1/certificates/" + path.get(1));
                }
                allow(method, "POST");
                Map<String, Object> reload = certificates();
                // As a refused configuration reload: 422 when a bind's files did not load.
                return new ApiAnswer(Boolean.TRUE.equals(reload.get("success")) ? 200 : 422, reload, null);
            }
            default -> throw ApiException.notFound("no such resource: /api/v1/" + String.join("/", path));
        }
    }

    private ApiAnswer backends(ApiRequest request, String method, List<String> path) {
        int size = path.size();
        if (size == 1) {
            allow(method, "GET");
            List<Object> all = new ArrayList<>();
            runtime.backends().values().forEach(b -> all.add(ProxyViews.backend(b)));
            return ApiAnswer.ok(Map.of("backends", all));
        }
        Backend backend = backend(path.get(1));
        if (size == 2) {
            allow(method, "GET");
            return ApiAnswer.ok(ProxyViews.backend(backend));
        }
        if (!path.get(2).equals("servers") || size > 4) {
            throw ApiException.notFound("no such resource: /api/v1/" + String.join("/", path));
        }
        if (size == 3) {
            allow(method, "GET", "POST");
            if (method.equals("GET")) {
                List<Object> all = new ArrayList<>();
                backend.servers().forEach(s -> all.add(ProxyViews.server(s)));
                return ApiAnswer.ok(Map.of("servers", all));
            }
            return addServer(request, backend);
        }
        allow(method, "GET", "PATCH", "DELETE");
        String name = path.get(3);
        if (method.equals("DELETE")) {
            try {
                backend.removeServer(name);
            } catch (IllegalArgumentException e) {
                throw ApiException.notFound(e.getMessage());
            } catch (IllegalStateException e) {
                throw ApiException.conflict(e.getMessage());
            } catch (UnsupportedOperationException e) {
                throw ApiException.conflict(e.getMessage());
            }
            return ApiAnswer.noContent();
        }
        Server server = server(backend, name);
        if (method.equals("PATCH")) {
            ServerChange.read(request, server).apply(server);
        }
        return ApiAnswer.ok(ProxyViews.server(server));
    }

    /**
     * {@code POST .../servers}: the server's {@code name}, the keys a configured server takes, and
     * an optional {@code state}: a server added so starts in maintenance, as HAProxy's
     * {@code add server} leaves it, unless {@code state} says otherwise.
     */
    private ApiAnswer addServer(ApiRequest request, Backend backend) {
        String name = request.required("name");
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_.:-]+")) {
            throw ApiException.badRequest("\"name\" must be letters, digits, '_', '.', ':' or '-' (HAProxy's server names)");
        }
        ServerAdmin state = ServerChange.state(request.string("state"));
        Map<String, Object> keys = new HashMap<>(request.body());
        keys.remove("name");
        keys.remove("state");
        Server server;
        try {
            server = backend.addServer(name, keys);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Already exists")) {
                throw ApiException.conflict(e.getMessage());
            }
            throw ApiException.badRequest(e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw ApiException.conflict(e.getMessage());
        }
        if (state != null) {
            server.setAdmin(state);
        }
        return new ApiAnswer(201, ProxyViews.server(server),
                "/api/v1/backends/" + Paths.segment(backend.name()) + "/servers/" + Paths.segment(name));
    }

    private Map<String, Object> certificates() {
        TlsTerminator tls = runtime.tls().orElseThrow(() -> ApiException.conflict("the tls plugin is not installed: there is no certificate to reload"));
        CertificateReload reload;
        try {
            reload = tls.reloadCertificates();
        } catch (UnsupportedOperationException e) {
            throw ApiException.conflict(e.getMessage());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("success", reload.problems().isEmpty());
        view.put("binds", reload.binds());
        view.put("reloaded", reload.reloaded());
        view.put("problems", reload.problems());
        return view;
    }

    /**
     * {@code POST /reload}: the configuration file and its scripts read and checked again; on any
     * problem nothing changes and every problem is answered (422), else the new generation serves.
     * This thread waits for the result: the API lives for the process, so it answers even when the
     * reload replaced every generation-bound part.
     */
    private ApiAnswer reload() {
        ReloadResult result = runtime.reload();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("success", result.success());
        view.put("generation", result.generation());
        view.put("problems", result.problems());
        view.put("notes", result.notes());
        return new ApiAnswer(result.success() ? 200 : 422, view, null);
    }

    /** {@code GET /lua}: every registered Lua function's figures, and the wait for the shared state's lock. */
    private Map<String, Object> lua() {
        ScriptStats stats = runtime.scriptStats();
        List<Object> functions = new ArrayList<>();
        for (ScriptFunctionStats function : stats.functions()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", function.name());
            view.put("kind", function.kind());
            view.put("calls", function.calls());
            view.put("errors", function.errors());
            view.put("timeouts", function.timeouts());
            view.put("run_seconds", function.runNanos() / 1e9);
            view.put("allocated_bytes", function.allocatedBytes() < 0 ? null : function.allocatedBytes());
            functions.add(view);
        }
        Map<String, Object> lock = new LinkedHashMap<>();
        lock.put("waits", stats.lockWaits());
        lock.put("wait_seconds", stats.lockWaitNanos() / 1e9);
        lock.put("max_wait_seconds", stats.maxLockWaitNanos() / 1e9);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("functions", functions);
        view.put("shared_lock", lock);
        return view;
    }

    /** {@code GET /info}: the process, as HAProxy's {@code show info} reports it. */
    private Map<String, Object> info() {
        ProcessInfo process = runtime.process();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("pid", process.pid());
        view.put("version", process.version());
        view.put("release_date", process.releaseDate());
        view.put("node", process.node());
        view.put("started_at", process.startTime().toString());
        view.put("uptime_seconds", process.uptimeMillis() / 1000);
        view.put("threads", process.threads());
        view.put("maxconn", process.maxConnections());
        view.put("current_connections", process.currentConnections());
        view.put("total_connections", process.totalConnections());
        view.put("total_requests", process.totalRequests());
        view.put("stopping", process.stopping());
        view.put("generation", runtime.generation());
        view.put("frontends", runtime.frontends().size());
        view.put("backends", runtime.backends().size());
        return view;
    }

    private static Map<String, Object> index() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("resources", List.of("/api/v1/info", "/api/v1/frontends", "/api/v1/backends",
                "/api/v1/backends/{backend}/servers", "/api/v1/maps", "/api/v1/maps/{file}/entries", "/api/v1/acls",
                "/api/v1/acls/{file}/entries",
                "/api/v1/lua", "/api/v1/reload", "/api/v1/certificates/reload"));
        return view;
    }

    private Frontend frontend(String name) {
        Frontend frontend = runtime.frontends().get(name);
        if (frontend == null) {
            throw ApiException.notFound("No such frontend.");
        }
        return frontend;
    }

    private Backend backend(String name) {
        Backend backend = runtime.backends().get(name);
        if (backend == null) {
            throw ApiException.notFound("No such backend.");
        }
        return backend;
    }

    private static Server server(Backend backend, String name) {
        for (Server server : backend.servers()) {
            if (server.name().equals(name)) {
                return server;
            }
        }
        throw ApiException.notFound("No such server.");
    }

    static void only(int size, int wanted) {
        if (size != wanted) {
            throw ApiException.notFound("no such resource");
        }
    }

    /** Refuses a method the resource does not take: 405 with the ones it takes. */
    static void allow(String method, String... allowed) {
        for (String one : allowed) {
            if (one.equals(method)) {
                return;
            }
        }
        throw new MethodNotAllowed(String.join(", ", allowed).replace("GET", "GET, HEAD"));
    }

    /** A 405: the resource exists, the method does not apply to it. */
    static final class MethodNotAllowed extends RuntimeException {

        private final String allow;

        MethodNotAllowed(String allow) {
            super("method not allowed here; allowed: " + allow, null, false, false);
            this.allow = allow;
        }

        String allow() {
            return allow;
        }
    }
}
