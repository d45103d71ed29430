package io.luagate.kernel.stream;

import io.luagate.kernel.log.AccessLogFormat;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.kernel.log.LogRecord;
import io.luagate.kernel.proxy.DefaultBackend;
import io.luagate.kernel.proxy.DefaultFrontend;
import io.luagate.kernel.proxy.DefaultServer;
import io.luagate.kernel.rule.BackendRule;
import io.luagate.kernel.rule.engine.RuleSource;
import io.luagate.kernel.rule.engine.StreamRules;
import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.filter.Filter;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Samples;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.codec.ModeTrait;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.health.ObservedOutcome;
import io.luagate.spi.health.ServerObserver;
import io.luagate.spi.stream.TerminationCause;
import io.luagate.spi.stream.UpstreamConnection;
import io.luagate.spi.tls.TlsSession;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request or TCP connection. After {@link #end()} it is immutable and handed, as is, to the
 * access log's writer thread: the stream object is the log record, so logging allocates nothing.
 */
public final class DefaultStream implements Stream, LogRecord {

    private static final long UNSET = -1;

    private final DefaultSession session;
    /** The session's frontend when the stream started: the stream finishes on its generation, whatever the session does next. */
    private final DefaultFrontend frontend;
    final long startNanos;
    final long startEpochMillis;
    private DefaultBackend backend;
    private DefaultServer server;
    /** The balancer that gave {@link #server}, told when the stream leaves it. */
    private Balancer balancedBy;
    private InetSocketAddress destination;
    private InetSocketAddress source;
    /** How this stream reaches its server, made on its first connect. */
    private ServerConnector connector;
    private long connectStartNanos = UNSET;
    long connectedNanos = UNSET;
    long requestNanos = UNSET;
    long responseNanos = UNSET;
    long endNanos = UNSET;
    int status = -1;
    int retries;
    long bytesIn;
    long bytesOut;
    /** The request line as received, joined from its words the first time it is asked for. */
    private String requestLine;
    private String requestMethod;
    private String requestUri;
    private String requestVersion;
    /** HAProxy's capture slots, made on the first capture. */
    private String[] requestCaptures;
    private String[] responseCaptures;
    TerminationCause cause = TerminationCause.NORMAL;
    StreamPhase phase = StreamPhase.NONE;
    int activeConnections;
    private boolean ended;
    private boolean silent;
    private Transaction txn;
    /** The TLS facts of the server connection last handed to the codec ({@code ssl_bc*}). */
    private TlsSession serverTls;
    /** The rule engine, made when the codec first asks for it. */
    private StreamRules rules;
    /** log-format expression values, taken on the event loop when the stream ends. */
    private String[] logValues;
    private Map<String, Object> txnVars;
    private Map<String, Object> reqVars;
    /** The request's processing is over: {@code req.*} is gone for good (HAProxy's scope swap to {@code res}). */
    private boolean requestScopeEnded;
    private Map<String, Object> resVars;
    /** The unique id, once made; {@code makingUniqueId} keeps a format that names itself (%ID) from looping. */
    private String uniqueId;
    private boolean makingUniqueId;

    DefaultStream(DefaultSession session, long startNanos) {
        this.session = session;
        this.frontend = session.frontend();
        this.startNanos = startNanos;
        this.startEpochMillis = System.currentTimeMillis();
    }

    @Override
    public DefaultSession session() {
        return session;
    }

    @Override
    public DefaultBackend route(Transaction txn) {
        List<BackendRule> rules = frontend.backendRules();
        for (int i = 0, n = rules.size(); i < n; i++) {
            BackendRule rule = rules.get(i);
            if (rule.applies(txn)) {
                // The first rule that applies decides; a name that is unknown (or of another mode)
                // falls back to the default backend, as in HAProxy.
                if (rule.target(txn) instanceof DefaultBackend chosen && chosen.mode().equals(frontend.mode())) {
                    return assign(chosen);
                }
                break;
            }
        }
        return assign(frontend.defaultBackend());
    }

    /** Makes {@code chosen} this stream's backend, moving the stream in the backends' session counts. */
    private DefaultBackend assign(DefaultBackend chosen) {
        if (chosen != backend) {
            if (backend != null) {
                backend.traffic().sessionEnded();
            }
            if (chosen != null) {
                chosen.traffic().sessionStarted();
            }
            backend = chosen;
        }
        return backend;
    }

    /**
     * Makes {@code chosen}, picked by {@code balancer}, this stream's server, moving the stream in
     * the servers' counts and telling the balancers (a retry on another server leaves the first).
     */
    void assign(DefaultServer chosen, Balancer balancer) {
        if (chosen != server) {
            leaveServer();
            chosen.streamStarted();
            server = chosen;
            balancedBy = balancer;
            balancer.streamStarted(chosen);
        }
    }

    /** The stream no longer uses its server (it ends, or goes to another one). */
    private void leaveServer() {
        if (server != null) {
            server.streamEnded();
            if (balancedBy != null) {
                balancedBy.streamEnded(server);
                balancedBy = null;
            }
        }
    }

    @Override
    public DefaultBackend backend() {
        return backend;
    }

    @Override
    public InetSocketAddress destination() {
        return destination != null ? destination : session.localAddress();
    }

    @Override
    public void setDestination(InetSocketAddress destination) {
        this.destination = destination;
    }

    @Override
    public InetSocketAddress source() {
        return source != null ? source : session.clientAddress();
    }

    @Override
    public void setSource(InetSocketAddress source) {
        this.source = source;
    }

    @Override
    public TlsSession serverTls() {
        return serverTls;
    }

    @Override
    public DefaultServer server() {
        return server;
    }

    @Override
    public void connect(ReusePolicy policy, ConnectListener listener) {
        if (backend == null) {
            throw new IllegalStateException("connect before route()");
        }
        if (connector == null) {
            connector = new ServerConnector(this);
        }
        connector.connect(policy, listener);
    }

    @Override
    public void release(UpstreamConnection connection, boolean reusable) {
        ServerConnector.release(this, connection, reusable);
    }

    /** The connect began (the first attempt's, kept over retries: HAProxy's Tc spans them). */
    void connectStarted() {
        if (connectStartNanos == UNSET) {
            connectStartNanos = System.nanoTime();
        }
    }

    /** A server connection was handed to the codec, with its TLS facts (or none). */
    void connected(TlsSession tls) {
        serverTls = tls;
        connectedNanos = System.nanoTime();
        if (connectStartNanos == UNSET) {
            connectStartNanos = connectedNanos;
        }
    }

    @Override
    public void tunnel(Channel upstream) {
        long timeout = backend.tunnelTimeoutMillis() > 0 ? backend.tunnelTimeoutMillis()
                : Math.max(frontend.clientTimeoutMillis(), backend.serverTimeoutMillis());
        Tunnel.open(this, session.channel(), upstream, timeout);
    }

    @Override
    public Object var(VarScope scope, String name) {
        return switch (scope) {
            case PROC -> session.kernel().procVars().get(name);
            case SESS -> session.vars(false) == null ? null : session.vars(false).get(name);
            case TXN -> txnVars == null ? null : txnVars.get(name);
            case REQ -> reqVars == null ? null : reqVars.get(name);
            case RES -> resVars == null ? null : resVars.get(name);
        };
    }

    @Override
    public void setVar(VarScope scope, String name, Object value) {
        if (scope == VarScope.REQ && requestScopeEnded) {
            return;
        }
        Map<String, Object> vars = switch (scope) {
            case PROC -> session.kernel().procVars();
            case SESS -> session.vars(true);
            case TXN -> txnVars == null ? txnVars = new HashMap<>(8) : txnVars;
            case REQ -> reqVars == null ? reqVars = new HashMap<>(8) : reqVars;
            case RES -> resVars == null ? resVars = new HashMap<>(8) : resVars;
        };
        if (value == null) {
            vars.remove(name);
        } else {
            vars.put(name, value);
        }
    }

    @Override
    public void endRequestScope() {
        requestScopeEnded = true;
        reqVars = null;
    }

    @Override
    public String requestLine() {
        String line = requestLine;
        if (line == null && requestMethod != null) {
            line = requestMethod + ' ' + requestUri + ' ' + requestVersion;
            requestLine = line;
        }
        return line;
    }

    @Override
    public String capturedRequestLine() {
        return frontend.settings().captureRequestLine() ? requestLine() : null;
    }

    @Override
    public String capture(boolean response, int slot) {
        String[] slots = response ? responseCaptures : requestCaptures;
        return slots == null || slot < 0 || slot >= slots.length ? null : slots[slot];
    }

    @Override
    public void capture(boolean response, int slot, String value) {
        String[] slots = response ? responseCaptures : requestCaptures;
        if (slots == null || slot >= slots.length) {
            slots = slots == null ? new String[slot + 1] : java.util.Arrays.copyOf(slots, slot + 1);
            if (response) {
                responseCaptures = slots;
            } else {
                requestCaptures = slots;
            }
        }
        slots[slot] = value;
    }

    @Override
    public void requestReceived(String requestLine) {
        this.requestNanos = System.nanoTime();
        this.requestLine = requestLine;
        this.requestMethod = null;
    }

    @Override
    public void requestReceived(String method, String uri, String version) {
        this.requestNanos = System.nanoTime();
        this.requestLine = null;
        this.requestMethod = method;
        this.requestUri = uri;
        this.requestVersion = version;
    }

    /** Whether a request line was received (without joining it). */
    private boolean hasRequestLine() {
        return requestLine != null || requestMethod != null;
    }

    @Override
    public void responseReceived(int status) {
        this.responseNanos = System.nanoTime();
        this.status = status;
        ServerObserver observer = server == null ? null : server.observer();
        if (observer != null) {
            // HAProxy's observe layer7: a 5xx but 501 and 505 is the server's error.
            observer.observed(status >= 500 && status != 501 && status != 505
                    ? ObservedOutcome.HTTP_STATUS : ObservedOutcome.HTTP_OK);
        }
    }

    @Override
    public void status(int status) {
        this.status = status;
    }

    @Override
    public void addBytesFromClient(long n) {
        bytesIn += n;
    }

    @Override
    public void addBytesToClient(long n) {
        bytesOut += n;
    }

    @Override
    public void terminate(TerminationCause cause, StreamPhase phase) {
        if (this.cause == TerminationCause.NORMAL) {
            this.cause = cause;
            this.phase = phase;
        }
    }

    /** The codec's transaction, once it gave it (for the server's {@code sni} expression). */
    Transaction txn() {
        return txn;
    }

    @Override
    public void transaction(Transaction txn) {
        this.txn = txn;
    }

    @Override
    public StreamRules rules() {
        if (rules == null) {
            rules = new StreamRules(new ProxyRules(), session.channel().eventLoop());
        }
        return rules;
    }

    /** The lists of this stream's frontend and of its backend once chosen. */
    private final class ProxyRules implements RuleSource {

        @Override
        public List<Action> rules(RuleList list) {
            if (list.side() == ProxySide.FRONTEND) {
                return frontend.rules(list);
            }
            return backend == null ? List.of() : backend.rules(list);
        }

        @Override
        public List<Filter> filters(ProxySide side) {
            if (side == ProxySide.FRONTEND) {
                return frontend.filters();
            }
            return backend == null ? List.of() : backend.filters();
        }
    }

    /** HAProxy's {@code UNIQUEID_LEN}: the id is cut to 127 characters. */
    private static final int UNIQUE_ID_MAX = 127;

    @Override
    public String uniqueId() {
        if (uniqueId == null && !makingUniqueId && txn != null) {
            LogFormat format = frontend.uniqueIdFormat();
            if (format != null) {
                makingUniqueId = true;
                try {
                    String id = format.render(txn);
                    uniqueId = id.length() > UNIQUE_ID_MAX ? id.substring(0, UNIQUE_ID_MAX) : id;
                } finally {
                    makingUniqueId = false;
                }
            }
        }
        return uniqueId;
    }

    @Override
    public void silent(boolean silent) {
        this.silent = silent;
    }

    @Override
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        endNanos = System.nanoTime();
        count();
        if (backend != null) {
            backend.traffic().sessionEnded();
        }
        leaveServer();
        session.streamEnded(this);
        activeConnections = session.kernel().limiter().open();
        if (!silent) {
            // HAProxy makes the id for the log line if nothing asked for it before.
            uniqueId();
            AccessLogFormat custom = frontend.logFormat();
            if (custom != null && custom.exprs().length > 0) {
                // Expressions read the transaction: evaluate them here, on its loop, not on the writer.
                logValues = new String[custom.exprs().length];
                for (int i = 0; i < logValues.length; i++) {
                    Object value = txn == null ? null : custom.exprs()[i].eval(txn);
                    logValues[i] = value == null ? null : Samples.asString(value);
                }
            }
            session.kernel().accessLog().write(this);
        }
    }

    /** Adds this stream to its frontend's, backend's and server's counters. */
    private void count() {
        boolean http = hasRequestLine() || frontend.modeHas(ModeTrait.HTTP_MESSAGES);
        frontend.traffic().bytes(bytesIn, bytesOut);
        if (backend != null) {
            backend.traffic().bytes(bytesIn, bytesOut);
        }
        if (server != null) {
            server.traffic().bytes(bytesIn, bytesOut);
        }
        if (serverFailed()) {
            backend.traffic().responseFailed();
            server.traffic().responseFailed();
            ServerObserver observer = server.observer();
            if (observer != null) {
                observer.observed(cause == TerminationCause.SERVER_TIMEOUT
                        ? ObservedOutcome.HTTP_TIMEOUT : ObservedOutcome.HTTP_BROKEN);
            }
        }
        if (!http) {
            return;
        }
        if (requestFailed()) {
            frontend.traffic().requestFailed();
        }
        frontend.traffic().http(status);
        if (backend != null) {
            backend.traffic().http(status);
        }
        if (server != null) {
            server.traffic().http(status);
        }
    }

    /**
     * HAProxy's request errors (ereq): the request was refused as malformed (400, 414, 431) or
     * timed out (408) while it was being received.
     */
    private boolean requestFailed() {
        return phase == StreamPhase.REQUEST
                && (cause == TerminationCause.PROXY || cause == TerminationCause.CLIENT_TIMEOUT)
                && (status == 400 || status == 408 || status == 414 || status == 431);
    }

    /** HAProxy's response errors (eresp): the server broke the exchange or let it time out once connected. */
    private boolean serverFailed() {
        return server != null && backend != null && connectedNanos != UNSET
                && (cause == TerminationCause.SERVER_ABORT || cause == TerminationCause.SERVER_TIMEOUT)
                && (phase == StreamPhase.HEADERS || phase == StreamPhase.DATA);
    }

    /**
     * Marks the stream killed by an operator (HAProxy's termination cause 'K'), in the step it is
     * in; the caller then closes its connections.
     */
    void killed() {
        boolean http = frontend.modeHas(ModeTrait.HTTP_MESSAGES);
        terminate(TerminationCause.KILLED, connectedNanos == UNSET ? StreamPhase.CONNECT
                : http && responseNanos == UNSET ? StreamPhase.HEADERS : StreamPhase.DATA);
    }

    @Override
    public boolean ended() {
        return ended;
    }

    /**
     * HAProxy's httplog shape (tcplog in TCP mode), run on the log's writer thread:
     * {@code ip:port [date] frontend backend/server Tq/Tw/Tc/Tr/Tt status bytes - - TS-- actconn/retries "request"},
     * TCP: {@code ip:port [date] frontend backend/server Tw/Tc/Tt bytes TS actconn/retries}.
     * Timers are milliseconds; -1 means the step never happened.
     */
    @Override
    public void format(StringBuilder out) {
        AccessLogFormat custom = frontend.logFormat();
        if (custom != null) {
            formatCustom(custom, out);
            return;
        }
        java.net.InetSocketAddress client = source();
        out.append(client.getAddress().getHostAddress()).append(':').append(client.getPort())
                .append(" [").append(AccessLogDates.LOCAL.format(Instant.ofEpochMilli(startEpochMillis))).append("] ")
                .append(frontend.name()).append(' ')
                .append(backend == null ? frontend.name() : backend.name()).append('/')
                .append(server == null ? "<NOSRV>" : server.name()).append(' ');
        long tc = connectedNanos == UNSET ? -1 : millis(connectStartNanos, connectedNanos);
        long tt = millis(startNanos, endNanos);
        boolean http = frontend.modeHas(ModeTrait.HTTP_MESSAGES);
        if (http) {
            long tq = requestNanos == UNSET ? -1 : millis(startNanos, requestNanos);
            long tr = responseNanos == UNSET || connectedNanos == UNSET ? -1 : millis(connectedNanos, responseNanos);
            out.append(tq).append("/0/").append(tc).append('/').append(tr).append('/').append(tt).append(' ')
                    .append(status).append(' ').append(bytesOut).append(" - - ")
                    .append(cause.code()).append(phase.code()).append("-- ")
                    .append(activeConnections).append('/').append(retries).append(" \"")
                    .append(hasRequestLine() ? requestLine() : "<BADREQ>").append('"');
        } else {
            out.append("0/").append(tc).append('/').append(tt).append(' ').append(bytesOut).append(' ')
                    .append(cause.code()).append(phase.code()).append(' ')
                    .append(activeConnections).append('/').append(retries);
        }
    }

    private void formatCustom(AccessLogFormat custom, StringBuilder out) {
        for (AccessLogFormat.Part part : custom.parts()) {
            switch (part) {
                case AccessLogFormat.Literal literal -> out.append(literal.text());
                case AccessLogFormat.Expr expr -> quoted(out, logValues[expr.index()], expr.quoted());
                case AccessLogFormat.Alias alias -> quoted(out, field(alias.field()), alias.quoted());
            }
        }
    }

    /** HAProxy's rendering: a missing or empty value is "-", or "" when quoted. */
    private static void quoted(StringBuilder out, String value, boolean quoted) {
        boolean missing = value == null || value.isEmpty();
        if (quoted) {
            out.append('"').append(missing ? "" : value).append('"');
        } else {
            out.append(missing ? "-" : value);
        }
    }

    /** One log-format alias of this stream, as HAProxy prints it. */
    private String field(AccessLogFormat.Field field) {
        InetSocketAddress client = source();
        long tt = millis(startNanos, endNanos);
        long tq = requestNanos == UNSET ? -1 : millis(startNanos, requestNanos);
        return switch (field) {
            case CLIENT_IP -> client.getAddress().getHostAddress();
            case CLIENT_PORT -> Integer.toString(client.getPort());
            case FRONTEND_IP -> session.localAddress().getAddress().getHostAddress();
            case FRONTEND_PORT -> Integer.toString(session.localAddress().getPort());
            case SERVER_IP -> server == null ? "-" : server.address().getAddress().getHostAddress();
            case SERVER_PORT -> server == null ? "-" : Integer.toString(server.address().getPort());
            case ACCEPT_DATE, REQUEST_DATE -> AccessLogDates.LOCAL.format(Instant.ofEpochMilli(startEpochMillis));
            case GMT_DATE -> AccessLogDates.GMT.format(Instant.ofEpochMilli(startEpochMillis));
            case UNIX_TIME -> Long.toString(startEpochMillis / 1000);
            case FRONTEND, FRONTEND_TRANSPORT -> frontend.name();
            case BACKEND -> backend == null ? frontend.name() : backend.name();
            case SERVER -> server == null ? "<NOSRV>" : server.name();
            case TR -> Long.toString(tq);
            case TW -> "0";
            case TC -> Long.toString(connectedNanos == UNSET ? -1 : millis(connectStartNanos, connectedNanos));
            case TRESP -> Long.toString(responseNanos == UNSET || connectedNanos == UNSET ? -1 : millis(connectedNanos, responseNanos));
            case TA -> Long.toString(requestNanos == UNSET ? tt : millis(requestNanos, endNanos));
            case TT -> Long.toString(tt);
            case STATUS -> Integer.toString(status);
            case BYTES_READ -> Long.toString(bytesOut);
            case BYTES_UPLOADED -> Long.toString(bytesIn);
            case CAPTURED_COOKIE_C, CAPTURED_COOKIE_S -> "-";
            case TERM_STATE -> "" + cause.code() + phase.code();
            case TERM_STATE_COOKIES -> "" + cause.code() + phase.code() + "--";
            case ACTCONN -> Integer.toString(activeConnections);
            case RETRIES -> Integer.toString(retries);
            case REQUEST_LINE -> hasRequestLine() ? requestLine() : "<BADREQ>";
            case METHOD -> requestPart(0);
            case URI -> requestPart(1);
            case VERSION -> requestPart(2);
            case UNIQUE_ID -> uniqueId;
        };
    }

    private String requestPart(int index) {
        if (requestMethod != null) {
            return index == 0 ? requestMethod : index == 1 ? requestUri : requestVersion;
        }
        if (requestLine == null) {
            return "-";
        }
        String[] parts = requestLine.split(" ", 3);
        return index < parts.length ? parts[index] : "-";
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
