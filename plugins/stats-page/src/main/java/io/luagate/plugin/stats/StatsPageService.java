package io.luagate.plugin.stats;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.extension.ProcessInfo;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.StatsPageSettings;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.HttpServiceExchange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code stats-page} service: what HAProxy's stats applet answers to a request for the stats
 * URI. 401 without valid credentials when {@code stats-auth} is set; a POST (an admin action,
 * which this page does not take) is sent back to the page with {@code ;st=DENY} as HAProxy does
 * without {@code stats admin}; anything else gets the page. Runs on the stream's event loop and
 * only reads counters.
 */
final class StatsPageService implements HttpService {

    /** HAProxy's 401 page for the stats URI. */
    private static final byte[] UNAUTHORIZED = """
            <html><body><h1>401 Unauthorized</h1>
            You need a valid user and password to access this content.
            </body></html>
            """.getBytes(StandardCharsets.US_ASCII);

    private final StatsPageRenderer renderer;
    private final Map<List<String>, BasicAuth> auths = new ConcurrentHashMap<>();
    private volatile ExtensionRuntime runtime;
    private volatile String node;
    private volatile String description = "";

    StatsPageService(RateSampler rates) {
        this.renderer = new StatsPageRenderer(rates);
    }

    /** @param node {@code null}: the host's name, as the process knows it */
    void describe(String node, String description) {
        this.node = node;
        this.description = description;
    }

    void start(ExtensionRuntime runtime) {
        this.runtime = runtime;
    }

    /** HAProxy answers its stats page without the frontend's http-response rules. */
    @Override
    public boolean takesResponseRules() {
        return false;
    }

    @Override
    public void serve(HttpServiceExchange exchange) {
        Transaction txn = exchange.transaction();
        Frontend frontend = txn.stream().session().frontend();
        StatsPageSettings settings = frontend.statsPage();
        if (settings != null && !auths.computeIfAbsent(settings.credentials(), BasicAuth::new)
                .admits(txn.request().header("authorization"))) {
            exchange.reply(new HttpReply(401, List.of(
                    new HttpReply.Header("cache-control", "no-cache"),
                    new HttpReply.Header("content-type", "text/html"),
                    new HttpReply.Header("www-authenticate", "Basic realm=\"" + settings.realm() + "\"")), UNAUTHORIZED));
            return;
        }
        PageRequest request = request(txn.request().uri(), settings);
        if (txn.request().method().equals("POST")) {
            // The form's body is read (and dropped) so that the connection stays usable.
            exchange.body(body -> exchange.reply(new HttpReply(303, List.of(
                    new HttpReply.Header("cache-control", "no-cache"),
                    new HttpReply.Header("content-type", "text/plain"),
                    new HttpReply.Header("location", request.link(";st=DENY"))), new byte[0])));
            return;
        }
        int refresh = settings == null ? 0 : settings.refreshSeconds();
        ExtensionRuntime now = runtime;
        String page = renderer.render(summary(now, settings), now.frontends().values(), now.backends().values(),
                now.scriptStats(), request, refresh, System.currentTimeMillis());
        List<HttpReply.Header> headers = new ArrayList<>(3);
        headers.add(new HttpReply.Header("cache-control", "no-cache"));
        headers.add(new HttpReply.Header("content-type", "text/html; charset=utf-8"));
        if (refresh > 0 && request.refresh()) {
            headers.add(new HttpReply.Header("refresh", Integer.toString(refresh)));
        }
        exchange.reply(new HttpReply(200, headers, page.getBytes(StandardCharsets.UTF_8)));
    }

    /** The options of the request: after the configured prefix, or after the path for {@code use-service stats-page}. */
    static PageRequest request(String uri, StatsPageSettings settings) {
        if (settings != null && !settings.uri().startsWith("/")) {
            return PageRequest.parse(uri, uri.startsWith(settings.uri()) ? settings.uri().length() : 0);
        }
        int from = pathStart(uri);
        String target = from < 0 ? "/" : uri.substring(from);
        boolean prefixed = settings != null && target.startsWith(settings.uri());
        return PageRequest.parse(target, prefixed ? settings.uri().length() : 0);
    }

    private static int pathStart(String uri) {
        if (uri.startsWith("/")) {
            return 0;
        }
        int scheme = uri.indexOf("://");
        return scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
    }

    private ProcessSummary summary(ExtensionRuntime runtime, StatsPageSettings settings) {
        ProcessInfo process = runtime.process();
        boolean hide = settings != null && settings.hideVersion();
        return new ProcessSummary(hide ? null : process.version(), hide ? "" : process.releaseDate(), process.pid(),
                process.uptimeMillis(), process.threads(), process.maxConnections(), process.currentConnections(),
                process.totalConnections(), process.totalRequests(), process.stopping(),
                node == null ? process.node() : node, description);
    }
}
