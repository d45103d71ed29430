package io.luagate.plugin.admin;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Listener;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.TrafficStats;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON documents of frontends, backends and servers, as the API shows them (names in snake_case, as Envoy's). */
final class ProxyViews {

    private ProxyViews() {
    }

    static Map<String, Object> frontend(Frontend frontend) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", frontend.name());
        view.put("mode", frontend.mode());
        view.put("state", frontend.stopped() ? "stopped" : frontend.paused() ? "paused" : "open");
        List<Object> listeners = new ArrayList<>();
        for (Listener listener : frontend.listeners()) {
            Map<String, Object> bind = new LinkedHashMap<>();
            bind.put("address", address(listener.address()));
            bind.put("protocol", listener.protocol());
            bind.put("limited", listener.limited());
            listeners.add(bind);
        }
        view.put("listeners", listeners);
        view.put("stats", stats(frontend.stats()));
        return view;
    }

    static Map<String, Object> backend(Backend backend) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", backend.name());
        view.put("mode", backend.mode());
        int usable = 0;
        List<Object> servers = new ArrayList<>();
        for (Server server : backend.servers()) {
            servers.add(server(server));
            if (server.isUp() && server.weight() > 0) {
                usable++;
            }
        }
        view.put("usable_servers", usable);
        view.put("stats", stats(backend.stats()));
        view.put("servers", servers);
        return view;
    }

    static Map<String, Object> server(Server server) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", server.name());
        view.put("address", address(server.address()));
        view.put("state", server.admin());
        view.put("health", server.health());
        view.put("up", server.isUp());
        view.put("weight", server.weight());
        view.put("initial_weight", server.initialWeight());
        view.put("backup", server.isBackup());
        view.put("current_streams", server.currentStreams());
        view.put("status", server.status());
        view.put("check", check(server));
        view.put("last_change", server.lastChangeMillis() == 0 ? null : Instant.ofEpochMilli(server.lastChangeMillis()).toString());
        view.put("downtime_seconds", server.downtimeMillis() / 1000);
        view.put("stats", stats(server.stats()));
        return view;
    }

    /** Its health checks as HAProxy's stats show them ({@code check_status}, {@code check_code}...), or {@code null} without {@code check}. */
    static Map<String, Object> check(Server server) {
        ServerCheckState state = server.checkState();
        if (!state.checked()) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        CheckResult last = state.last();
        view.put("status", last.status().code());
        view.put("description", last.status().description());
        view.put("code", last.code() == 0 ? null : last.code());
        view.put("info", last.info());
        view.put("duration_ms", last.durationMillis() < 0 ? null : last.durationMillis());
        view.put("health", state.health());
        view.put("rise", state.rise());
        view.put("fall", state.fall());
        view.put("failed_checks", state.failedChecks());
        view.put("down_transitions", server.downTransitions());
        return view;
    }

    static Map<String, Object> stats(TrafficStats stats) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("current_sessions", stats.currentSessions());
        view.put("total_sessions", stats.totalSessions());
        view.put("bytes_in", stats.bytesIn());
        view.put("bytes_out", stats.bytesOut());
        view.put("request_errors", stats.requestErrors());
        view.put("connect_errors", stats.connectErrors());
        view.put("response_errors", stats.responseErrors());
        view.put("http_requests", stats.httpRequests());
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("1xx", stats.http1xx());
        responses.put("2xx", stats.http2xx());
        responses.put("3xx", stats.http3xx());
        responses.put("4xx", stats.http4xx());
        responses.put("5xx", stats.http5xx());
        responses.put("other", stats.httpOther());
        view.put("http_responses", responses);
        return view;
    }

    /** {@code ip:port}, with an IPv6 address in brackets. */
    static String address(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
