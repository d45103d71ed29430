package io.luagate.kernel.proxy;

import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.net.EventLoops;
import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.rule.RuleCompiler;
import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.codec.Codec;
import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.rule.Action;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the running proxies from the settings and the loaded plugins. Everything a request will
 * need is resolved here once: codecs, balancers and pools per loop, compiled rules, destination
 * keys. A configured feature with no plugin to serve it is a problem that names the plugin.
 */
public final class ProxyBuilder {

    private final Settings settings;
    private final Plugins plugins;
    private final RuleCompiler rules;
    private final Map<String, Codec> codecs;
    private final Map<String, BalancerFactory> balancers;
    private final Optional<UpstreamPoolFactory> poolFactory;

    public ProxyBuilder(Settings settings, Plugins plugins, RuleCompiler rules) {
        this.settings = settings;
        this.plugins = plugins;
        this.rules = rules;
        this.codecs = plugins.codecs();
        this.balancers = plugins.balancers();
        this.poolFactory = plugins.pool();
    }

    /** Reports what cannot be served (missing plugins, bad rules), without building anything. */
    public Problems validate() {
        Problems problems = new Problems();
        for (String failure : plugins.failures()) {
            problems.add(new ConfigProblem(plugins.dir().toString(), "plugins", "plugin failed: " + failure));
        }
        for (Settings.Frontend fe : settings.frontends().values()) {
            requireCodec(fe.mode(), fe.origin(), "frontends." + fe.name() + ".mode", problems);
            rules.compile(fe.httpRequest(), "frontends." + fe.name() + ".http-request", problems);
        }
        for (Settings.Backend be : settings.backends().values()) {
            String key = "backends." + be.name();
            requireCodec(be.mode(), be.origin(), key + ".mode", problems);
            if (!balancers.containsKey(be.balance())) {
                problems.add(new ConfigProblem(be.origin(), key + ".balance", "balance '" + be.balance()
                        + "' needs plugin '" + Features.pluginForBalance(be.balance()) + "', which is not in "
                        + plugins.dir()));
            }
            if (needsPool(be) && poolFactory.isEmpty()) {
                problems.add(new ConfigProblem(be.origin(), key + ".http-reuse", "http-reuse '"
                        + be.httpReuse().name().toLowerCase() + "' needs plugin '" + Features.POOL_PLUGIN
                        + "', which is not in " + plugins.dir() + " (or set http-reuse = never)"));
            }
            rules.compile(be.httpRequest(), key + ".http-request", problems);
        }
        return problems;
    }

    /** Builds everything; call only after {@link #validate()} found nothing. */
    public Proxies build(EventLoops loops) {
        Problems problems = new Problems();
        Map<String, DefaultBackend> backends = new LinkedHashMap<>();
        for (Settings.Backend be : settings.backends().values()) {
            backends.put(be.name(), backend(be, loops, problems));
        }
        Map<String, DefaultFrontend> frontends = new LinkedHashMap<>();
        for (Settings.Frontend fe : settings.frontends().values()) {
            List<Action> actions = rules.compile(fe.httpRequest(), "frontends." + fe.name() + ".http-request", problems);
            DefaultBackend defaultBackend = fe.defaultBackend() == null ? null : backends.get(fe.defaultBackend());
            frontends.put(fe.name(), new DefaultFrontend(fe, codecs.get(fe.mode()), actions, defaultBackend));
        }
        problems.throwIfAny();
        return new Proxies(Map.copyOf(frontends), Map.copyOf(backends));
    }

    private DefaultBackend backend(Settings.Backend be, EventLoops loops, Problems problems) {
        String partition = be.poolName().isEmpty() ? be.name() : be.name() + "/" + be.poolName();
        List<DefaultServer> servers = new ArrayList<>();
        for (Settings.Server server : be.servers()) {
            servers.add(new DefaultServer(server.name(), server.address(), server.weight(), !server.disabled(), partition));
        }
        BalancerFactory balancerFactory = balancers.get(be.balance());
        Balancer[] perLoopBalancers = new Balancer[loops.size()];
        UpstreamPool[] perLoopPools = needsPool(be) ? new UpstreamPool[loops.size()] : null;
        Bootstrap[] bootstraps = new Bootstrap[loops.size()];
        Codec codec = codecs.get(be.mode());
        List<Action> actions = rules.compile(be.httpRequest(), "backends." + be.name() + ".http-request", problems);
        DefaultBackend backend = new DefaultBackend(be, servers, codec, actions, perLoopBalancers, perLoopPools, bootstraps);
        PoolSettings poolSettings = new PoolSettings(be.poolMaxIdle(), be.poolIdleTimeoutMillis());
        for (int i = 0; i < loops.size(); i++) {
            EventLoop loop = loops.loop(i + 1);
            perLoopBalancers[i] = balancerFactory.create(servers);
            if (perLoopPools != null) {
                perLoopPools[i] = poolFactory.orElseThrow().create(loop, poolSettings);
            }
            bootstraps[i] = new Bootstrap()
                    .group(loop)
                    .channel(loops.channelClass())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, be.connectTimeoutMillis()))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            codec.initUpstream(ch, backend);
                        }
                    });
        }
        return backend;
    }

    private static boolean needsPool(Settings.Backend be) {
        return be.mode().equals("http") && be.httpReuse() != HttpReuse.NEVER;
    }

    private void requireCodec(String mode, String origin, String key, Problems problems) {
        if (!codecs.containsKey(mode)) {
            problems.add(new ConfigProblem(origin, key, "mode '" + mode + "' needs plugin '"
                    + Features.pluginForMode(mode) + "', which is not in " + plugins.dir()));
        }
    }
}
