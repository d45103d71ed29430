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
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.proxy.TrafficStats;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.rule.RuleList;
import io.netty.bootstrap.Bootstrap;
import java.util.List;

/**
 * A running backend. Balancers and pools are per event loop (indexed by the loop's number - 1),
 * so the hot path touches only its own loop's objects and takes no lock.
 */
public final class DefaultBackend implements Backend {

    private final Settings.Backend settings;
    private final ProxyAnswers answers;
    private final List<DefaultServer> servers;
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
