package io.luagate.kernel.proxy;

import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Section;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.config.SettingsReader;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.luagate.kernel.metrics.Metrics;
import io.luagate.kernel.net.ConnectionLimiter;
import io.luagate.kernel.net.EventLoops;
import io.luagate.kernel.net.FrontendListeners;
import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.plugin.ProvidedKind;
import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.RuleCompiler;
import io.luagate.kernel.rule.FilterTable;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.ExprParser;
import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.kernel.rule.acl.Acl;
import io.luagate.kernel.rule.auth.Userlist;
import io.luagate.kernel.rule.action.ActionTable;
import io.luagate.kernel.rule.action.CaptureSlots;
import io.luagate.kernel.rule.action.Side;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.codec.Mode;
import io.luagate.spi.codec.ModeTrait;
import io.luagate.spi.filter.Filter;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.rule.Action;
import io.luagate.spi.tls.TlsBindContext;
import io.luagate.spi.tls.TlsListener;
import io.luagate.spi.tls.TlsOrigin;
import io.luagate.spi.tls.TlsOriginContext;
import io.luagate.spi.tls.TlsTerminator;
import io.luagate.spi.proxy.StatsPageSettings;
import io.luagate.spi.service.HttpService;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds the running proxies from the settings and the loaded plugins. Everything a request will
 * need is resolved here once: codecs, balancers and pools per loop, compiled rules, destination
 * keys. A configured feature no installed plugin provides is a problem that lists what is installed.
 */
public final class ProxyBuilder {

    private final Settings settings;
    private final Plugins plugins;
    private final Path home;
    private final SampleRegistry registry;
    private final ActionTable actions;
    private final Maps maps;
    private final Metrics metrics;
    private final ConnectionLimiter limiter;
    private final Map<String, Codec> codecs;
    private final Map<String, BalancerFactory> balancers;
    private final Optional<UpstreamPoolFactory> poolFactory;
    private final Optional<TlsTerminator> tls;
    private final FilterTable filterTable;
    /**
     * Filters by proxy key, compiled once by {@link #validate()}: making a filter may run plugin
     * code (a Lua registration function), which must run once per line, as in HAProxy.
     */
    private final Map<String, List<Filter>> filters = new HashMap<>();
    /**
     * Each frontend's binds compiled by the tls plugin (a {@code null} entry for a plain bind), made
     * once by {@link #validate()}: it reads certificate files.
     */
    private final Map<String, List<TlsListener>> tlsBinds = new HashMap<>();
    /**
     * Each TLS server's settings by {@code backend/server}, compiled once by {@link #validate()}: it
     * reads certificate files. A server that failed has no entry.
     */
    private final Map<String, ServerTls> tlsServers = new ConcurrentHashMap<>();

    /** @param home files named by rules (maps, pattern files, reply files) are relative to it */
    public ProxyBuilder(Settings settings, Plugins plugins, Path home, Metrics metrics, RuleLanguage language,
                        ConnectionLimiter limiter) {
        this(settings, plugins, plugins.codecs(), home, metrics, language, limiter);
    }

    /**
     * @param codecs the codecs by the name of their mode: those of the loaded plugins, or a test's
     * @param home   files named by rules (maps, pattern files, reply files) are relative to it
     */
    public ProxyBuilder(Settings settings, Plugins plugins, Map<String, Codec> codecs, Path home, Metrics metrics,
                        RuleLanguage language, ConnectionLimiter limiter) {
        this(settings, plugins, codecs, plugins.balancers(), home, metrics, language, limiter);
    }

    /**
     * @param codecs    the codecs by the name of their mode: those of the loaded plugins, or a test's
     * @param balancers the balancer factories by every name they serve: the loaded plugins', or a test's
     * @param home      files named by rules (maps, pattern files, reply files) are relative to it
     */
    public ProxyBuilder(Settings settings, Plugins plugins, Map<String, Codec> codecs, Map<String, BalancerFactory> balancers,
                        Path home, Metrics metrics, RuleLanguage language, ConnectionLimiter limiter) {
        this.settings = settings;
        this.limiter = limiter;
        this.plugins = plugins;
        this.home = home;
        this.metrics = metrics;
        this.registry = language.registry();
        this.actions = language.actions();
        this.maps = language.maps();
        this.codecs = codecs;
        this.balancers = balancers;
        this.poolFactory = plugins.pool();
        this.tls = plugins.tls();
        this.filterTable = language.filters();
    }

    /** Reports what cannot be served (missing plugins, bad rules), without building anything. */
    public Problems validate() {
        Problems problems = new Problems();
        userlists(problems);
        RuleCompiler rules = compiler(name -> null);
        for (Settings.Frontend fe : settings.frontends().values()) {
            Mode mode = mode(fe.mode(), "frontends." + fe.name() + ".mode", problems);
            frontendRules(rules, fe, name -> null, problems);
            compileFilters(fe.filters(), "frontends." + fe.name(), problems);
            compileTls(fe, problems);
            checkProtocols(fe, problems);
            if (!fe.tcpRequest().isEmpty() && mode != null && !mode.has(ModeTrait.CONTENT_RULES)) {
                problems.add(new ConfigProblem(fe.tcpRequest().get(0).origin(), "frontends." + fe.name() + ".tcp-request",
                        "tcp-request rules run in TCP frontends only in this build; use http-request rules here"));
            }
        }
        for (Settings.Backend be : settings.backends().values()) {
            String key = "backends." + be.name();
            Mode mode = mode(be.mode(), key + ".mode", problems);
            if (!balancers.containsKey(be.balance())) {
                problems.add(new ConfigProblem(be.origin(), key + ".balance",
                        plugins.missing(ProvidedKind.BALANCE, be.balance(), balancers.keySet())));
            }
            checkBalancer(be, rules, problems);
            if (mode != null && needsPool(mode, be) && poolFactory.isEmpty()) {
                problems.add(new ConfigProblem(be.origin(), key + ".http-reuse", "http-reuse '"
                        + be.httpReuse().name().toLowerCase() + "' keeps idle connections, but "
                        + plugins.missing(ProvidedKind.POOL, null, List.of()) + " (or set http-reuse = never)"));
            }
            Map<String, List<Acl>> acls = rules.acls(be.acls(), key + ".acl", problems);
            rules.actions(be.httpRequest(), Side.REQUEST, acls, key + ".http-request", problems);
            rules.actions(be.httpResponse(), Side.RESPONSE, acls, key + ".http-response", problems);
            rules.actions(be.httpAfterResponse(), Side.AFTER_RESPONSE, acls, key + ".http-after-response", problems);
            compileFilters(be.filters(), key, problems);
            compileServerTls(be, rules, problems);
            checkServerProtocols(be, problems);
            checkHealthChecker(be, problems);
            rules.actions(be.tcpResponse(), Side.TCP_RESPONSE, acls, key + ".tcp-response", problems);
            rules.httpErrors(be.answers().httpErrors(), key + ".http-error", problems);
            if (!be.tcpResponse().isEmpty() && mode != null && !mode.has(ModeTrait.CONTENT_RULES)) {
                problems.add(new ConfigProblem(be.tcpResponse().get(0).origin(), key + ".tcp-response",
                        "tcp-response rules run in TCP backends only in this build; use http-response rules here"));
            }
        }
        return problems;
    }

    /**
     * Lets the balancer plugin of {@code be} check its arguments, options and keys; the backend's
     * keys that neither the kernel nor the plugin read are then unknown.
     */
    private void checkBalancer(Settings.Backend be, RuleCompiler rules, Problems problems) {
        BalancerFactory factory = balancers.get(be.balance());
        if (factory == null) {
            // Told above as a missing plugin; its keys would only add noise.
            return;
        }
        DefaultBalancerContext context = new DefaultBalancerContext(be, List.of(), rules.context(), problems);
        factory.check(context);
        context.finish();
    }

    private List<Filter> compileFilters(List<Settings.Rule> lines, String key, Problems problems) {
        return filters.computeIfAbsent(key, k -> filterTable.compile(lines, k + ".filter", problems));
    }

    /** A bind's {@code proto} must be one the frontend's codec speaks (as an ALPN id). */
    private void checkProtocols(Settings.Frontend fe, Problems problems) {
        Codec codec = codecs.get(fe.mode().name());
        for (Settings.Bind bind : fe.binds()) {
            if (bind.proto() == null || codec == null) {
                continue;
            }
            String alpn = bind.proto().equals("h1") ? "http/1.1" : bind.proto();
            if (!codec.applicationProtocols().contains(alpn)) {
                problems.add(new ConfigProblem(bind.origin(), "frontends." + fe.name() + ".bind.proto",
                        "\"" + bind.proto() + "\" is not spoken by mode " + fe.mode().name()
                                + (codec.applicationProtocols().isEmpty() ? "" : " (it speaks " + String.join(", ", codec.applicationProtocols()) + ")")));
            }
        }
    }

    /** A server's {@code proto} must be one the backend's codec speaks to servers (as an ALPN id). */
    private void checkServerProtocols(Settings.Backend be, Problems problems) {
        checkServerProtocols(be, be.servers(), problems);
    }

    /** As {@link #checkServerProtocols(Settings.Backend, Problems)}, for {@code servers} of {@code be}. */
    private void checkServerProtocols(Settings.Backend be, List<Settings.Server> servers, Problems problems) {
        Codec codec = codecs.get(be.mode().name());
        for (Settings.Server server : servers) {
            if (server.proto() == null || codec == null) {
                continue;
            }
            List<String> spoken = codec.upstreamApplicationProtocols();
            String alpn = server.proto().equals("h1") ? "http/1.1" : server.proto();
            if (!spoken.contains(alpn)) {
                problems.add(new ConfigProblem(server.origin(), "backends." + be.name() + ".servers." + server.name() + ".proto",
                        "\"" + server.proto() + "\" is not spoken to servers by mode " + be.mode().name()
                                + (spoken.isEmpty() ? "" : " (it speaks " + String.join(", ", spoken) + ")")));
            }
        }
    }

    /**
     * Hands each {@code ssl = true} bind of {@code fe} to the tls plugin, which reads its keys;
     * the keys nobody read are then reported as unknown. Without the plugin, the first TLS bind
     * is a problem naming it.
     */
    private List<TlsListener> compileTls(Settings.Frontend fe, Problems problems) {
        List<TlsListener> known = tlsBinds.get(fe.name());
        if (known != null) {
            return known;
        }
        List<TlsListener> compiled = new ArrayList<>(fe.binds().size());
        Codec codec = codecs.get(fe.mode().name());
        for (Settings.Bind bind : fe.binds()) {
            if (bind.tls() == null) {
                compiled.add(null);
                continue;
            }
            String key = "frontends." + fe.name() + ".bind";
            if (tls.isEmpty()) {
                problems.add(new ConfigProblem(bind.origin(), key + ".ssl", "ssl = true, but "
                        + plugins.missing(ProvidedKind.TLS, null, List.of())));
                compiled.add(null);
                continue;
            }
            Section section = new Section(bind.tls(), key, problems);
            // The kernel's own keys, read by SettingsReader.
            section.has("address");
            section.has("thread");
            section.has("ssl");
            section.has("proto");
            TlsBindContext context = new TlsBindContext(fe.name(), home,
                    codec == null ? List.of() : codec.applicationProtocols(), fe.clientTimeoutMillis());
            compiled.add(tls.get().bind(section, context));
            section.finish();
        }
        tlsBinds.put(fe.name(), compiled);
        return compiled;
    }

    /** The first server of {@code be} that needs the health-check plugin stops the start when it is absent. */
    private void checkHealthChecker(Settings.Backend be, Problems problems) {
        if (plugins.healthChecker().isPresent()) {
            return;
        }
        for (Settings.Server server : be.servers()) {
            if (server.check().enabled()) {
                String key = "backends." + be.name() + ".servers." + server.name() + (server.check().check() ? ".check" : ".observe");
                problems.add(new ConfigProblem(server.origin(), key, (server.check().check() ? "check = true" : "observe")
                        + " needs the plugin " + io.luagate.spi.health.HealthChecker.NAME + ", but "
                        + plugins.missing(ProvidedKind.HEALTH_CHECK, null, List.of())));
                return;
            }
        }
    }

    /** Compiles the TLS of {@code be}'s servers written {@code ssl = true}, once. */
    private void compileServerTls(Settings.Backend be, RuleCompiler rules, Problems problems) {
        compileServerTls(be, be.servers(), rules, problems);
    }

    /** Compiles the TLS of those of {@code servers} (of {@code be}) written {@code ssl = true}, once each. */
    private void compileServerTls(Settings.Backend be, List<Settings.Server> servers, RuleCompiler rules, Problems problems) {
        Codec codec = codecs.get(be.mode().name());
        for (Settings.Server server : servers) {
            String id = be.name() + "/" + server.name();
            if (server.tls() == null || tlsServers.containsKey(id)) {
                continue;
            }
            String key = "backends." + be.name() + ".servers." + server.name();
            if (tls.isEmpty()) {
                problems.add(new ConfigProblem(server.origin(), key + ".ssl", "ssl = true, but "
                        + plugins.missing(ProvidedKind.TLS, null, List.of())));
                continue;
            }
            SampleExpr sni = null;
            if (server.sni() != null) {
                try {
                    sni = new ExprParser(rules.context()).parse(ConfigBytes.of(server.sni().text()), 1);
                } catch (RuleSyntaxException e) {
                    problems.add(new ConfigProblem(server.sni().origin(), key + ".sni", "in expression \""
                            + server.sni().text() + "\": " + ConfigBytes.text(e.getMessage())));
                    continue;
                }
            }
            Section section = new Section(server.tls(), key, problems);
            // The kernel's own keys, read by SettingsReader.
            for (String own : List.of("address", "weight", "disabled", "backup", "ssl", "sni", "proto")) {
                section.has(own);
            }
            io.luagate.kernel.config.HealthCheckReader.SERVER_KEYS.forEach(section::has);
            TlsOriginContext context = new TlsOriginContext(be.name(), server.name(), server.address(), home,
                    codec == null ? List.of() : codec.upstreamApplicationProtocols(), be.connectTimeoutMillis());
            TlsOrigin origin = tls.get().origin(section, context);
            section.finish();
            if (origin != null) {
                tlsServers.put(id, new ServerTls(origin, sni));
            }
        }
    }

    private RuleCompiler compiler(Function<String, Backend> backends) {
        return new RuleCompiler(new CompileContext(home, maps, registry, settings.backends().keySet(), backends,
                userlists(new Problems())), actions);
    }

    /** The userlists, compiled; {@code problems} hears of password hashes that cannot be checked. */
    private Map<String, Userlist> userlists(Problems problems) {
        Map<String, Userlist> lists = new HashMap<>();
        settings.userlists().forEach((name, list) -> lists.put(name, Userlist.compile(list, problems)));
        return lists;
    }

    private DefaultFrontend.FrontendRules frontendRules(RuleCompiler rules, Settings.Frontend fe,
                                                        Function<String, Backend> backends, Problems problems) {
        String key = "frontends." + fe.name();
        Map<String, List<Acl>> acls = rules.acls(fe.acls(), key + ".acl", problems);
        CaptureSlots[] captures = rules.captures(fe.declareCapture(), key + ".declare-capture", problems);
        return new DefaultFrontend.FrontendRules(
                captures[0].withHeaderCaptures(
                        rules.actions(fe.httpRequest(), Side.REQUEST, acls, key + ".http-request", problems, captures[0])),
                captures[1].withHeaderCaptures(
                        rules.actions(fe.httpResponse(), Side.RESPONSE, acls, key + ".http-response", problems, captures[1])),
                rules.actions(fe.httpAfterResponse(), Side.AFTER_RESPONSE, acls, key + ".http-after-response", problems),
                rules.backendRules(fe.useBackend(), acls, backends, key + ".use-backend", problems),
                rules.actions(fe.tcpRequest(), Side.TCP, acls, key + ".tcp-request", problems),
                rules.tcpInspectDelay(fe.tcpRequest(), key + ".tcp-request", problems),
                rules.logFormat(fe.logFormat(), key + ".log-format", problems),
                rules.format(fe.uniqueIdFormat(), key + ".unique-id-format", problems),
                new ProxyAnswers(rules.httpErrors(fe.answers().httpErrors(), key + ".http-error", problems),
                        fe.answers().tarpitTimeoutMillis(),
                        rules.monitor(fe.answers().monitorUri(), fe.answers().monitorFail(), acls, key + ".monitor-fail", problems)),
                statsUri(fe, problems));
    }

    /**
     * The {@code stats-uri} check of {@code fe}, handing requests to the stats-page plugin's service;
     * without the plugin, a problem naming it.
     */
    private Action statsUri(Settings.Frontend fe, Problems problems) {
        if (fe.statsPage() == null) {
            return null;
        }
        HttpService page = actions.httpService(StatsPageSettings.SERVICE);
        if (page == null) {
            problems.add(new ConfigProblem(fe.origin(), "frontends." + fe.name() + ".stats-uri",
                    "the stats page is served by the plugin stats-page, but "
                            + plugins.missing(ProvidedKind.SERVICE, StatsPageSettings.SERVICE, actions.httpServiceNames())));
            return null;
        }
        return new StatsUri(fe.statsPage().uri(), page);
    }

    /**
     * Builds everything; call only after {@link #validate()} found nothing.
     *
     * @param streamKiller closes the streams a server serves, on their own loops (a server's
     *                     {@code shutdownStreams})
     */
    public Proxies build(EventLoops loops, Consumer<DefaultServer> streamKiller) {
        Problems problems = new Problems();
        Map<String, DefaultBackend> backends = new LinkedHashMap<>();
        Map<String, DefaultBackend> byName = new HashMap<>();
        Function<String, Backend> lookup = byName::get;
        RuleCompiler rules = compiler(lookup);
        for (Settings.Backend be : settings.backends().values()) {
            DefaultBackend backend = backend(be, loops, rules, problems, streamKiller);
            backends.put(be.name(), backend);
        }
        // Published once, complete, before any stream runs: rules only read it afterwards.
        byName.putAll(backends);
        Map<String, DefaultFrontend> frontends = new LinkedHashMap<>();
        for (Settings.Frontend fe : settings.frontends().values()) {
            DefaultBackend defaultBackend = fe.defaultBackend() == null ? null : backends.get(fe.defaultBackend());
            frontends.put(fe.name(), new DefaultFrontend(fe, codecs.get(fe.mode().name()), frontendRules(rules, fe, lookup, problems),
                    defaultBackend, compileFilters(fe.filters(), "frontends." + fe.name(), problems),
                    settings.global().bufferSize(), settings.global().maxHeaders(), metrics.frontend(fe.name()),
                    metrics.frontendConnections(fe.name()),
                    new FrontendListeners(fe.name(), fe.binds(), compileTls(fe, problems), limiter)));
        }
        problems.throwIfAny();
        // Configuration order is kept: it numbers the proxies (HAProxy's uuid) as scripts see them.
        return new Proxies(Collections.unmodifiableMap(frontends), Collections.unmodifiableMap(backends));
    }

    private DefaultBackend backend(Settings.Backend be, EventLoops loops, RuleCompiler rules, Problems problems,
                                   Consumer<DefaultServer> streamKiller) {
        String partition = be.poolName().isEmpty() ? be.name() : be.name() + "/" + be.poolName();
        List<DefaultServer> servers = new ArrayList<>();
        for (Settings.Server server : be.servers()) {
            servers.add(server(be, server, partition, streamKiller));
        }
        BalancerFactory balancerFactory = balancers.get(be.balance());
        // Checked by validate(): problems met again here are not told twice.
        DefaultBalancerContext balancing = new DefaultBalancerContext(be, servers, rules.context(), new Problems());
        Balancer[] perLoopBalancers = new Balancer[loops.size()];
        for (int i = 0; i < loops.size(); i++) {
            perLoopBalancers[i] = balancerFactory.create(balancing);
        }
        Codec codec = codecs.get(be.mode().name());
        UpstreamPool[] perLoopPools = needsPool(codec.mode(), be) ? new UpstreamPool[loops.size()] : null;
        Bootstrap[] bootstraps = new Bootstrap[loops.size()];
        String key = "backends." + be.name();
        Map<String, List<Acl>> acls = rules.acls(be.acls(), key + ".acl", problems);
        List<Action> requestRules = rules.actions(be.httpRequest(), Side.REQUEST, acls, key + ".http-request", problems);
        List<Action> responseRules = rules.actions(be.httpResponse(), Side.RESPONSE, acls, key + ".http-response", problems);
        List<Action> afterResponseRules = rules.actions(be.httpAfterResponse(), Side.AFTER_RESPONSE, acls,
                key + ".http-after-response", problems);
        DefaultBackend.TcpResponseRules tcpResponse = new DefaultBackend.TcpResponseRules(
                rules.actions(be.tcpResponse(), Side.TCP_RESPONSE, acls, key + ".tcp-response", problems),
                rules.tcpInspectDelay(be.tcpResponse(), key + ".tcp-response", problems));
        List<Filter> backendFilters = compileFilters(be.filters(), key, problems);
        DefaultBackend backend = new DefaultBackend(be, servers, codec, requestRules, responseRules, afterResponseRules, tcpResponse,
                backendFilters, perLoopBalancers, perLoopPools, bootstraps, metrics.backend(be.name()), settings.global().maxHeaders(),
                new ProxyAnswers(rules.httpErrors(be.answers().httpErrors(), key + ".http-error", problems),
                        be.answers().tarpitTimeoutMillis() > 0 ? be.answers().tarpitTimeoutMillis() : be.connectTimeoutMillis(),
                        null), balancing.key(),
                new ServerChanges((name, keys) -> addedServer(be, name, keys, partition, streamKiller),
                        list -> balancerFactory.create(new DefaultBalancerContext(be, list, rules.context(), new Problems())),
                        loopList(loops), server -> retire(be, server)));
        PoolSettings poolSettings = new PoolSettings(be.poolMaxIdle(), be.poolIdleTimeoutMillis());
        for (int i = 0; i < loops.size(); i++) {
            EventLoop loop = loops.loop(i + 1);
            if (perLoopPools != null) {
                perLoopPools[i] = poolFactory.orElseThrow().create(loop, poolSettings);
            }
            bootstraps[i] = new Bootstrap()
                    .group(loop)
                    .channel(loops.channelClass())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, be.connectTimeoutMillis()))
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            codec.initUpstream(ch, backend);
                        }
                    });
            if (!PlatformDependent.canEnableTcpNoDelayByDefault()) {
                // As for accepted connections (Listeners): Netty's socket config already turns
                // TCP_NODELAY on where it can, and asking again cost a system call per connection.
                bootstraps[i].option(ChannelOption.TCP_NODELAY, true);
            }
        }
        return backend;
    }

    /** One server of {@code be}, written in the configuration or added at run time, with its counters and metrics. */
    private DefaultServer server(Settings.Backend be, Settings.Server server, String partition, Consumer<DefaultServer> streamKiller) {
        DefaultServer made = new DefaultServer(server.name(), server.address(), server.weight(), !server.disabled(),
                server.backup(), partition, metrics.server(be.name(), server.name()), streamKiller,
                tlsServers.get(be.name() + "/" + server.name()), server.proto(), server.check());
        metrics.serverHealth(be.name(), made);
        return made;
    }

    /**
     * A server added to {@code be} at run time (HAProxy's {@code add server}), read from {@code keys}
     * and checked as a configured server is, its TLS compiled by the tls plugin. Runs on the caller's
     * thread (an admin API's), never on an event loop: it may read certificate files.
     *
     * @throws IllegalArgumentException with every problem, each naming its key
     */
    private DefaultServer addedServer(Settings.Backend be, String name, Map<String, ?> keys, String partition,
                                      Consumer<DefaultServer> streamKiller) {
        Problems problems = new Problems();
        Settings.Server server;
        try {
            server = SettingsReader.addedServer(be.name(), name,
                    ConfigFactory.parseMap(keys, "added server " + be.name() + "/" + name), problems);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (server != null) {
            // A server of the same name removed earlier leaves no TLS behind for this one.
            tlsServers.remove(be.name() + "/" + name);
            compileServerTls(be, List.of(server), compiler(n -> null), problems);
            checkServerProtocols(be, List.of(server), problems);
        }
        if (server == null || !problems.isEmpty()) {
            List<String> texts = new ArrayList<>();
            for (ConfigProblem problem : problems.list()) {
                texts.add(problem.key() + ": " + problem.message());
            }
            throw new IllegalArgumentException(texts.isEmpty() ? "the server cannot be read" : String.join("; ", texts));
        }
        return server(be, server, partition, streamKiller);
    }

    /** Forgets a server removed from {@code be} at run time: its metrics and its compiled TLS. */
    private void retire(Settings.Backend be, DefaultServer server) {
        metrics.removeServer(be.name(), server.name());
        tlsServers.remove(be.name() + "/" + server.name());
    }

    private static List<EventLoop> loopList(EventLoops loops) {
        List<EventLoop> list = new ArrayList<>(loops.size());
        for (int i = 1; i <= loops.size(); i++) {
            list.add(loops.loop(i));
        }
        return List.copyOf(list);
    }

    private static boolean needsPool(Mode mode, Settings.Backend be) {
        return mode.has(ModeTrait.CONNECTION_REUSE) && be.httpReuse() != HttpReuse.NEVER;
    }

    /** The mode {@code name} names, as its codec declares it; {@code null} (a problem) when no loaded plugin serves it. */
    private Mode mode(Settings.ModeName name, String key, Problems problems) {
        Codec codec = codecs.get(name.name());
        if (codec == null) {
            problems.add(new ConfigProblem(name.origin(), key, plugins.missing(ProvidedKind.MODE, name.name(), codecs.keySet())));
            return null;
        }
        return codec.mode();
    }
}
