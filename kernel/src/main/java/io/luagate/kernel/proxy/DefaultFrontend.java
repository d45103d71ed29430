package io.luagate.kernel.proxy;

import io.luagate.kernel.config.Settings;
import io.luagate.kernel.log.AccessLogFormat;
import io.luagate.kernel.metrics.ConnectionCount;
import io.luagate.kernel.metrics.TrafficCounters;
import io.luagate.kernel.net.BoundListener;
import io.luagate.kernel.net.FrontendListeners;
import io.luagate.kernel.rule.BackendRule;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.codec.Mode;
import io.luagate.spi.codec.ModeTrait;
import io.luagate.spi.filter.Filter;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.TrafficStats;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.rule.RuleList;
import java.util.List;

/** A running frontend: its settings, its codec, its compiled rules, its backend choice and its listeners. */
public final class DefaultFrontend implements Frontend {

    private final Settings.Frontend settings;
    private final Codec codec;
    /** The codec's mode, asked once: streams read its traits as they end. */
    private final Mode mode;
    private final FrontendRules rules;
    /** The {@code monitor-uri} check as a list: empty, or its one action. */
    private final List<Action> monitor;
    /** The {@code stats-uri} check as a list: empty, or its one action. */
    private final List<Action> stats;
    private final List<Filter> filters;
    private final DefaultBackend defaultBackend;
    private final int bufferSize;
    private final int maxHeaders;
    private final TrafficCounters traffic;
    private final ConnectionCount connections;
    private final FrontendListeners listeners;

    /**
     * The compiled rule lists of a frontend.
     *
     * @param httpRequest  {@code http-request}
     * @param httpResponse {@code http-response}
     * @param httpAfterResponse {@code http-after-response}
     * @param useBackend   {@code use-backend}
     * @param tcpRequest   {@code tcp-request content}
     * @param tcpInspectDelayMillis {@code tcp-request inspect-delay}, 0 when none
     * @param logFormat    {@code log-format}, or {@code null} for the default line
     * @param uniqueIdFormat {@code unique-id-format}, or {@code null} when streams have no id
     * @param answers      {@code http-error}, {@code timeout.tarpit}, {@code monitor-uri}
     * @param stats        the {@code stats-uri} check, or {@code null}
     */
    public record FrontendRules(List<Action> httpRequest, List<Action> httpResponse, List<Action> httpAfterResponse,
                                List<BackendRule> useBackend,
                                List<Action> tcpRequest, long tcpInspectDelayMillis, AccessLogFormat logFormat,
                                LogFormat uniqueIdFormat, ProxyAnswers answers, Action stats) {
    }

    public DefaultFrontend(Settings.Frontend settings, Codec codec, FrontendRules rules, DefaultBackend defaultBackend,
                           List<Filter> filters, int bufferSize, int maxHeaders, TrafficCounters traffic, ConnectionCount connections,
                           FrontendListeners listeners) {
        this.settings = settings;
        this.filters = filters;
        this.listeners = listeners;
        this.traffic = traffic;
        this.connections = connections;
        this.bufferSize = bufferSize;
        this.maxHeaders = maxHeaders;
        this.codec = codec;
        this.mode = codec.mode();
        this.rules = rules;
        this.monitor = rules.answers().monitor() == null ? List.of() : List.of(rules.answers().monitor());
        this.stats = rules.stats() == null ? List.of() : List.of(rules.stats());
        this.defaultBackend = defaultBackend;
    }

    public Settings.Frontend settings() {
        return settings;
    }

    public Codec codec() {
        return codec;
    }

    /** Whether this frontend's mode, as its codec declares it, has {@code trait}. */
    public boolean modeHas(ModeTrait trait) {
        return mode.has(trait);
    }

    /** The filters declared here ({@code filter} lines), in order; a stream runs the frontend's, then its backend's. */
    public List<Filter> filters() {
        return filters;
    }

    /** One of this frontend's compiled lists, for its streams' rule engine. */
    public List<Action> rules(RuleList list) {
        return switch (list) {
            case FRONTEND_MONITOR -> monitor;
            case FRONTEND_HTTP_REQUEST -> rules.httpRequest();
            case FRONTEND_STATS -> stats;
            case FRONTEND_HTTP_RESPONSE -> rules.httpResponse();
            case FRONTEND_HTTP_AFTER_RESPONSE -> rules.httpAfterResponse();
            case FRONTEND_TCP_REQUEST_CONTENT -> rules.tcpRequest();
            default -> throw new IllegalArgumentException(list + " is a backend's list");
        };
    }

    /** The backend used when no {@code use-backend} rule chose one; may be {@code null}. */
    public DefaultBackend defaultBackend() {
        return defaultBackend;
    }

    public TrafficCounters traffic() {
        return traffic;
    }

    /** Counts an accepted client connection. */
    public void accepted() {
        connections.increment();
        traffic.sessionStarted();
    }

    /** Counts the end of a client connection counted by {@link #accepted}. */
    public void closed() {
        traffic.sessionEnded();
    }

    /** The compiled {@code log-format}, or {@code null} for HAProxy's httplog / tcplog shape. */
    public AccessLogFormat logFormat() {
        return rules.logFormat();
    }

    /** The compiled {@code unique-id-format}, or {@code null}: the streams of this frontend have no id. */
    public LogFormat uniqueIdFormat() {
        return rules.uniqueIdFormat();
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

    @Override
    public String uniqueIdHeader() {
        return rules.uniqueIdFormat() == null ? null : settings.uniqueIdHeader();
    }

    @Override
    public io.luagate.spi.proxy.StatsPageSettings statsPage() {
        return settings.statsPage();
    }

    public List<BackendRule> backendRules() {
        return rules.useBackend();
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
    public ReplyTemplate errorReply(int status) {
        return rules.answers().errors().get(status);
    }

    @Override
    public long tarpitTimeoutMillis() {
        return rules.answers().tarpitMillis();
    }

    @Override
    public long clientTimeoutMillis() {
        return settings.clientTimeoutMillis();
    }

    @Override
    public long httpRequestTimeoutMillis() {
        return settings.httpRequestTimeoutMillis();
    }

    @Override
    public long httpKeepAliveTimeoutMillis() {
        return settings.httpKeepAliveTimeoutMillis();
    }

    @Override
    public long tcpInspectDelayMillis() {
        return rules.tcpInspectDelayMillis();
    }

    @Override
    public boolean httpBufferRequest() {
        return settings.httpBufferRequest();
    }

    @Override
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public int maxHeaders() {
        return maxHeaders;
    }

    @Override
    public int maxHeaderSize() {
        return settings.maxHeaderSize();
    }

    @Override
    public List<BoundListener> listeners() {
        return listeners.all();
    }

    @Override
    public void pause() {
        listeners.pause();
    }

    @Override
    public void resume() {
        listeners.resume();
    }

    @Override
    public void stop() {
        listeners.stop();
    }

    @Override
    public boolean paused() {
        return listeners.paused();
    }

    @Override
    public boolean stopped() {
        return listeners.stopped();
    }

    @Override
    public TrafficStats stats() {
        return traffic.snapshot();
    }
}
