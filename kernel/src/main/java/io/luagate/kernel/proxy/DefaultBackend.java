package io.luagate.kernel.proxy;

import io.luagate.kernel.config.Settings;
import io.luagate.kernel.metrics.TrafficCounters;
import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Samples;
import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.filter.Filter;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.health.HealthChecker;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.proxy.TrafficStats;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.rule.RuleList;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.luagate.spi.proxy.ServerAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A running backend. Balancers and pools are per event loop (indexed by the loop's number - 1),
 * so the hot path touches only its own loop's objects and takes no lock. When a server is added or
 * removed, each loop's balancer is replaced by a new one over the new list, on that loop, so a
 * balancer still never sees another thread; a stream keeps the balancer that picked its server
 * until it leaves that server.
 */
public final class DefaultBackend implements Backend {

    private final Settings.Backend settings;
    private final ProxyAnswers answers;
    /** Replaced whole, under this backend's lock, when a server is added or removed; read without lock. */
    private volatile List<DefaultServer> servers;
    /** How servers are added and removed at run time; {@code null}: this backend's servers are fixed. */
    /** How long a change waits for the loops to take it: they only run one short task each. */
    private static final long APPLY_WAIT_SECONDS = 2;

    private final ServerChanges changes;
    /** The health checkers of this backend's generation, told of servers added and removed at run time. */
    private volatile List<HealthChecker> checkers = List.of();
    private final Codec codec;
    private final List<Action> httpRequestRules;
    private final List<Action> httpResponseRules;
    private final List<Action> httpAfterResponseRules;
    private final List<Filter> filters;
    private final TcpResponseRules tcpResponseRules;
    private final Balancer[] balancers;
    private final UpstreamPool[] pools;
    private final Bootstrap[] bootstraps;
    /** Per loop, made on first use by that loop (each slot is touched by its own loop only). */
    private final MultiplexedPool[] multiplexed;
    private final TrafficCounters traffic;
    private final int maxHeaders;
    /** The key the balancer asked for ({@code balance hash <expr>}, {@code source}...), or {@code null}. */
    private final SampleExpr balanceKey;

    /**
     * The compiled {@code tcp-response} list of a backend.
     *
     * @param content             its {@code content} rules
     * @param inspectDelayMillis  its {@code inspect-delay}, 0 when none
     */
    public record TcpResponseRules(List<Action> content, long inspectDelayMillis) {
    }

    /** @param balanceKey the expression whose value the balancer hashes, or {@code null} when it asked for none */
    public DefaultBackend(Settings.Backend settings, List<DefaultServer> servers, Codec codec,
                          List<Action> httpRequestRules, List<Action> httpResponseRules,
                          List<Action> httpAfterResponseRules, TcpResponseRules tcpResponseRules,
                          List<Filter> filters, Balancer[] balancers, UpstreamPool[] pools, Bootstrap[] bootstraps,
                          TrafficCounters traffic, int maxHeaders, ProxyAnswers answers, SampleExpr balanceKey) {
        this(settings, servers, codec, httpRequestRules, httpResponseRules, httpAfterResponseRules, tcpResponseRules, filters,
                balancers, pools, bootstraps, traffic, maxHeaders, answers, balanceKey, null);
    }

    /**
     * @param balanceKey the expression whose value the balancer hashes, or {@code null} when it asked for none
     * @param changes    how servers are added and removed at run time, or {@code null} when they cannot be
     */
    DefaultBackend(Settings.Backend settings, List<DefaultServer> servers, Codec codec,
                   List<Action> httpRequestRules, List<Action> httpResponseRules,
                   List<Action> httpAfterResponseRules, TcpResponseRules tcpResponseRules,
                   List<Filter> filters, Balancer[] balancers, UpstreamPool[] pools, Bootstrap[] bootstraps,
                   TrafficCounters traffic, int maxHeaders, ProxyAnswers answers, SampleExpr balanceKey,
                   ServerChanges changes) {
        this.changes = changes;
        this.balanceKey = balanceKey;
        this.settings = settings;
        this.answers = answers;
        this.servers = List.copyOf(servers);
        this.filters = filters;
        this.codec = codec;
        this.httpRequestRules = httpRequestRules;
        this.httpResponseRules = httpResponseRules;
        this.httpAfterResponseRules = httpAfterResponseRules;
        this.tcpResponseRules = tcpResponseRules;
        this.balancers = balancers;
        this.pools = pools;
        this.bootstraps = bootstraps;
        this.multiplexed = new MultiplexedPool[bootstraps.length];
        this.traffic = traffic;
        this.maxHeaders = maxHeaders;
    }

    @Override
    public int maxHeaders() {
        return maxHeaders;
    }

    public TrafficCounters traffic() {
        return traffic;
    }

    @Override
    public TrafficStats stats() {
        return traffic.snapshot();
    }

    /** Connects new upstream channels on loop {@code loopIndex}, with this backend's codec installed. */
    public Bootstrap bootstrap(int loopIndex) {
        return bootstraps[loopIndex];
    }

    public Codec codec() {
        return codec;
    }

    public Balancer balancer(int loopIndex) {
        return balancers[loopIndex];
    }

    /**
     * The stream's key for the balancer, read from {@code txn}: the binary value of the expression
     * the balancer asked for, or {@code null} when it asked for none or the stream has no value.
     */
    public byte[] balanceKey(Transaction txn) {
        if (balanceKey == null || txn == null) {
            return null;
        }
        return Samples.asBytes(balanceKey.eval(txn));
    }

    /** The shared multiplexed connections of loop {@code loopIndex}; call on that loop only. */
    public MultiplexedPool multiplexed(int loopIndex) {
        MultiplexedPool pool = multiplexed[loopIndex];
        if (pool == null) {
            pool = new MultiplexedPool();
            multiplexed[loopIndex] = pool;
        }
        return pool;
    }

    /** The pool of loop {@code loopIndex}, or {@code null} when this backend pools nothing. */
    public UpstreamPool pool(int loopIndex) {
        return pools == null ? null : pools[loopIndex];
    }

    public Settings.Backend settings() {
        return settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String mode() {
        return settings.mode().name();
    }

    @Override
    public List<DefaultServer> servers() {
        return servers;
    }

    /** The server named {@code name} now, or {@code null}. */
    public DefaultServer server(String name) {
        for (DefaultServer server : servers) {
            if (server.name().equals(name)) {
                return server;
            }
        }
        return null;
    }

    @Override
    public synchronized DefaultServer addServer(String name, Map<String, ?> keys) {
        ServerChanges how = changes();
        if (server(name) != null) {
            throw new IllegalArgumentException("Already exists a server with the same name in backend.");
        }
        DefaultServer server = how.maker().apply(name, keys);
        // HAProxy's add server: a new server waits in maintenance until an operator makes it ready.
        server.setAdmin(ServerAdmin.MAINT);
        List<DefaultServer> next = new ArrayList<>(servers);
        next.add(server);
        publish(List.copyOf(next), how);
        checkers.forEach(checker -> checker.serverAdded(this, server));
        return server;
    }

    @Override
    public synchronized void removeServer(String name) {
        ServerChanges how = changes();
        DefaultServer server = server(name);
        if (server == null) {
            throw new IllegalArgumentException("No such server.");
        }
        if (server.admin() != ServerAdmin.MAINT) {
            throw new IllegalStateException("Only servers in maintenance mode can be deleted.");
        }
        if (server.currentStreams() > 0) {
            throw new IllegalStateException("Server still has connections attached to it, cannot remove it.");
        }
        List<DefaultServer> next = new ArrayList<>(servers);
        next.remove(server);
        publish(List.copyOf(next), how);
        checkers.forEach(checker -> checker.serverRemoved(this, server));
        how.retired().accept(server);
    }

    /** The started health checkers of this backend's generation (none until its extensions start). */
    public void checkedBy(List<HealthChecker> started) {
        checkers = List.copyOf(started);
    }

    private ServerChanges changes() {
        if (changes == null) {
            throw new UnsupportedOperationException("backend " + name() + " cannot change its servers at run time");
        }
        return changes;
    }

    /**
     * Makes {@code next} the server list, then has every loop build its new balancer over it on the
     * loop itself: tasks run in the order given, so after two quick changes each loop ends on the
     * last list. A server in maintenance is never picked, so removing one is safe whichever
     * balancer a loop still holds for a moment. Called off the event loops (an admin API's thread),
     * it returns once every loop holds its new balancer, so that the request that follows the
     * answer is balanced over the new list; on an event loop it never waits.
     */
    private void publish(List<DefaultServer> next, ServerChanges how) {
        servers = next;
        CountDownLatch applied = new CountDownLatch(how.loops().size());
        boolean onALoop = false;
        for (int i = 0; i < how.loops().size(); i++) {
            int loop = i;
            EventLoop executor = how.loops().get(i);
            onALoop |= executor.inEventLoop();
            try {
                executor.execute(() -> {
                    try {
                        balancers[loop] = how.balancer().apply(next);
                    } finally {
                        applied.countDown();
                    }
                });
            } catch (RejectedExecutionException e) {
                // The loop is shutting down: it picks nothing any more.
                applied.countDown();
            }
        }
        if (!onALoop) {
            try {
                applied.await(APPLY_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public ReplyTemplate errorReply(int status) {
        return answers.errors().get(status);
    }

    @Override
    public long tarpitTimeoutMillis() {
        return answers.tarpitMillis();
    }

    @Override
    public long connectTimeoutMillis() {
        return settings.connectTimeoutMillis();
    }

    @Override
    public long serverTimeoutMillis() {
        return settings.serverTimeoutMillis();
    }

    @Override
    public long tunnelTimeoutMillis() {
        return settings.tunnelTimeoutMillis();
    }

    @Override
    public int retries() {
        return settings.retries();
    }

    @Override
    public HttpReuse httpReuse() {
        return settings.httpReuse();
    }

    @Override
    public boolean httpBufferRequest() {
        return settings.httpBufferRequest();
    }

    @Override
    public boolean forwardFor() {
        return settings.forwardFor() != null;
    }

    @Override
    public io.luagate.spi.proxy.ConnectionMode connectionMode() {
        return settings.connectionMode();
    }

    @Override
    public io.luagate.spi.rule.ErrorPages errorPages() {
        return settings.errorPages();
    }

    @Override
    public io.luagate.spi.proxy.ForwardFor forwardForOption() {
        return settings.forwardFor();
    }

    /** The filters declared here ({@code filter} lines), in order; a stream runs the frontend's, then its backend's. */
    public List<Filter> filters() {
        return filters;
    }

    /** One of this backend's compiled lists, for its streams' rule engine. */
    public List<Action> rules(RuleList list) {
        return switch (list) {
            case BACKEND_HTTP_REQUEST -> httpRequestRules;
            case BACKEND_HTTP_RESPONSE -> httpResponseRules;
            case BACKEND_HTTP_AFTER_RESPONSE -> httpAfterResponseRules;
            case BACKEND_TCP_RESPONSE_CONTENT -> tcpResponseRules.content();
            default -> throw new IllegalArgumentException(list + " is a frontend's list");
        };
    }

    @Override
    public long tcpResponseInspectDelayMillis() {
        return tcpResponseRules.inspectDelayMillis();
    }
}
