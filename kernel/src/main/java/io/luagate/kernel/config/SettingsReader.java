package io.luagate.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.luagate.kernel.net.CpuMap;
import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.net.ThreadAffinity;
import io.luagate.spi.http.HttpToken;
import io.luagate.spi.proxy.ConnectionMode;
import io.luagate.spi.proxy.ForwardFor;
import io.luagate.spi.http.AsciiFold;
import io.luagate.spi.proxy.StatsPageSettings;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.rule.ErrorPages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the merged HOCON tree into {@link Settings}, collecting every problem on the way. */
public final class SettingsReader {

    /** The shape of a mode name; which modes exist, the loaded codec plugins say (ProxyBuilder). */
    private static final java.util.regex.Pattern MODE_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]*");
    private static final Duration ZERO = Duration.ZERO;
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration MS = Duration.ofMillis(1);

    private final Problems problems;
    /** {@code global.tune.bufsize} and the distribution's home, for reading error files. */
    private int bufferSize;
    private Path home;

    /**
     * Reads {@code config} (user file over the references, resolved).
     *
     * @param home the distribution's home: relative paths are resolved against it
     * @throws InvalidConfigException with every problem found
     */
    public static Settings read(Config config, String source, Path home) {
        Problems problems = new Problems();
        Settings settings = new SettingsReader(problems).readAll(config, source, home);
        problems.throwIfAny();
        return settings;
    }

    /**
     * Reads {@code config} as far as it can: the problems go to {@code problems}, and what could not
     * be read is left out or at its default, so that {@code check} goes on to the plugins and rules.
     */
    public static Settings read(Config config, String source, Path home, Problems problems) {
        return new SettingsReader(problems).readAll(config, source, home);
    }

    /**
     * Reads one server added at run time (HAProxy's {@code add server}) from {@code keys}, the keys
     * of a configured server's object, over the kernel's own server defaults only: HAProxy 2.6
     * applies no {@code default-server} to a server added so (measured: weight 1 under a
     * {@code default-server weight 7}).
     *
     * @return the server, or {@code null} when {@code problems} heard why not
     */
    public static Settings.Server addedServer(String backend, String name, Config keys, Problems problems) {
        Config defaults = com.typesafe.config.ConfigFactory
                .parseResources(SettingsReader.class.getClassLoader(), "reference.conf").getConfig("defaults.server");
        return new SettingsReader(problems).server("backends." + backend + ".servers." + name, name, keys.root(), defaults);
    }

    private SettingsReader(Problems problems) {
        this.problems = problems;
    }

    /** {@code global.cpu-map}: HAProxy's lines, checked now; refused where threads cannot be bound. */
    private static CpuMap cpuMap(Section global) {
        List<String> lines = global.strings("cpu-map");
        if (lines.isEmpty()) {
            return CpuMap.none();
        }
        // Each line is checked alone first, so that a bad one is reported at its own line of the list.
        for (int i = 0; i < lines.size(); i++) {
            try {
                CpuMap.parse(List.of(lines.get(i)));
            } catch (IllegalArgumentException e) {
                global.problem("cpu-map", i, e.getMessage());
                return CpuMap.none();
            }
        }
        CpuMap map = CpuMap.parse(lines);
        String unavailable = ThreadAffinity.unavailable();
        if (unavailable != null) {
            global.problem("cpu-map", unavailable);
        }
        return map;
    }

    private Settings readAll(Config config, String source, Path home) {
        Section root = new Section(config, "", problems);
        Section globalSection = root.section("global");
        Section tune = globalSection.section("tune");
        int bufferSize = (int) tune.bytes("bufsize", 1024, 64 << 20);
        this.bufferSize = bufferSize;
        this.home = home;
        Section tuneHttp = tune.section("http");
        int maxHeaders = tuneHttp.integer("maxhdr", 1, 32767);
        tuneHttp.finish();
        // The rest of global.tune belongs to plugins (the http codec's global.tune.h2), as top-level sections do.
        Map<String, ConfigValue> pluginSections = new LinkedHashMap<>();
        tune.takeUnread().forEach((key, value) -> pluginSections.put("global.tune." + key, value));
        tune.finish();
        Settings.Global global = new Settings.Global(
                globalSection.integer("threads", 0, 1024),
                globalSection.integer("maxconn", 1, 10_000_000),
                globalSection.millis("grace", ZERO, DAY),
                bufferSize, maxHeaders, cpuMap(globalSection));
        globalSection.finish();

        Section pluginsSection = root.section("plugins");
        Path pluginsDir = home.resolve(pluginsSection.string("dir")).normalize();
        pluginsSection.finish();

        Section logSection = root.section("log");
        String target = logSection.string("target");
        Settings.Log log = new Settings.Log(target, logSection.integer("queue-size", 16, 16 << 20));
        logSection.finish();

        Section defaults = root.section("defaults");
        Config frontendDefaults = defaultsOf(config, "defaults.frontend");
        Config backendDefaults = defaultsOf(config, "defaults.backend");
        // HAProxy's spelling of the defaults section's server keys, default-server, over luagate's defaults.server.
        Config serverDefaults = config.hasPath("defaults.default-server")
                ? defaultsOf(config, "defaults.default-server").withFallback(defaultsOf(config, "defaults.server"))
                : defaultsOf(config, "defaults.server");
        checkDefaults(defaults);

        Map<String, Settings.Frontend> frontends = new LinkedHashMap<>();
        root.named("frontends").forEach((name, value) -> {
            checkName("frontend", name, value, "frontends." + name);
            Section fe = objectSection(value, "frontends." + name, frontendDefaults);
            if (fe != null) {
                frontends.put(name, frontend(name, fe, ConfigProblem.describe(value.origin())));
            }
        });
        Map<String, Settings.Backend> backends = new LinkedHashMap<>();
        root.named("backends").forEach((name, value) -> {
            checkName("backend", name, value, "backends." + name);
            Section be = objectSection(value, "backends." + name, backendDefaults);
            if (be != null) {
                backends.put(name, backend(name, be, serverDefaults, ConfigProblem.describe(value.origin())));
            }
        });
        Map<String, Settings.Userlist> userlists = new UserlistReader(problems).read(root);
        pluginSections.putAll(root.takeUnread());
        root.finish();

        if (frontends.isEmpty()) {
            problems.add(config.root().origin(), "frontends", "no frontend is configured: nothing would listen");
        }
        for (Settings.Frontend fe : frontends.values()) {
            if (fe.defaultBackend() != null && !backends.containsKey(fe.defaultBackend())) {
                problems.add(new ConfigProblem(fe.origin(), "frontends." + fe.name() + ".default-backend",
                        "no backend named '" + fe.defaultBackend() + "'"));
            }
            Settings.Backend be = fe.defaultBackend() == null ? null : backends.get(fe.defaultBackend());
            if (be != null && !be.mode().name().equals(fe.mode().name())) {
                problems.add(new ConfigProblem(fe.origin(), "frontends." + fe.name() + ".default-backend",
                        "frontend mode '" + fe.mode().name() + "' cannot use backend '" + be.name() + "' of mode '"
                        + be.mode().name() + "'"));
            }
        }
        // Configuration order is kept (named() sorts by line): it numbers the proxies for scripts.
        return new Settings(source, global, pluginsDir, log, Collections.unmodifiableMap(frontends),
                Collections.unmodifiableMap(backends),
                Map.copyOf(pluginSections), userlists);
    }

    /** Records a problem when HAProxy would refuse {@code name} for a {@code what} (NameCharacters). */
    private void checkName(String what, String name, ConfigValue value, String path) {
        String problem = NameCharacters.problem(what, name);
        if (problem != null) {
            problems.add(value.origin(), path, problem);
        }
    }

    private Section objectSection(ConfigValue value, String path, Config defaults) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            problems.add(value.origin(), path, "must be an object");
            return null;
        }
        return new Section(((ConfigObject) value).toConfig().withFallback(defaults), path, problems);
    }

    private static Settings.ModeName mode(Section section) {
        String name = section.string("mode");
        if (!MODE_NAME.matcher(name).matches()) {
            section.problem("mode", "'" + name + "' is not a mode name (lower-case letters, digits and '-')");
        }
        return new Settings.ModeName(name, section.location("mode"));
    }

    private Settings.Frontend frontend(String name, Section fe, String origin) {
        Settings.ModeName mode = mode(fe);
        List<Settings.Bind> binds = binds(fe);
        Section timeout = fe.section("timeout");
        long client = timeout.millis("client", MS, DAY);
        long httpRequest = timeout.millis("http-request", MS, DAY);
        long keepAlive = timeout.millis("http-keep-alive", MS, DAY);
        long feTarpit = timeout.millis("tarpit", ZERO, DAY);
        timeout.finish();
        int maxHeader = (int) fe.bytes("max-header-size", 1024, 1 << 20);
        boolean bufferRequest = fe.bool("http-buffer-request");
        String defaultBackend = fe.optionalString("default-backend");
        Map<String, List<Settings.Rule>> acls = acls(fe);
        List<Settings.Rule> httpRequestRules = rules(fe, "http-request");
        List<Settings.Rule> httpResponseRules = rules(fe, "http-response");
        List<Settings.Rule> httpAfterResponseRules = rules(fe, "http-after-response");
        List<Settings.Rule> useBackend = rules(fe, "use-backend");
        List<Settings.Rule> tcpRequest = rules(fe, "tcp-request");
        List<Settings.Rule> filters = rules(fe, "filter");
        List<Settings.Rule> declareCapture = rules(fe, "declare-capture");
        boolean captureRequestLine = fe.bool("capture-request-line");
        String monitorUri = fe.optionalString("monitor-uri");
        if (monitorUri != null && monitorUri.isEmpty()) {
            fe.problem("monitor-uri", "must not be empty");
        } else if (monitorUri != null) {
            // Compared with the request's URI, bytes as they came: /café is /caf C3 A9, as in HAProxy.
            monitorUri = ConfigBytes.of(monitorUri);
        }
        List<Settings.Rule> monitorFail = rules(fe, "monitor-fail");
        if (!monitorFail.isEmpty() && monitorUri == null) {
            fe.problem("monitor-fail", "needs monitor-uri: it decides the answer to the monitor URI");
        }
        Settings.Answers answers = new Settings.Answers(rules(fe, "http-error"), feTarpit, monitorUri, monitorFail);
        if (fe.has("tcp-response")) {
            // HAProxy takes tcp-response rules in backends (and listen sections) only.
            fe.problem("tcp-response", "tcp-response rules belong to a backend, as in HAProxy: move them to the backend");
        }
        String logFormatText = fe.optionalString("log-format");
        Settings.Rule logFormat = logFormatText == null ? null
                : new Settings.Rule(logFormatText, ConfigProblem.describe(fe.value("log-format").origin()));
        String uniqueIdText = fe.optionalString("unique-id-format");
        Settings.Rule uniqueIdFormat = uniqueIdText == null ? null
                : new Settings.Rule(uniqueIdText, ConfigProblem.describe(fe.value("unique-id-format").origin()));
        ForwardFor forwardFor = forwardFor(fe);
        ErrorPages errorPages = errorFiles(fe);
        ConnectionMode connectionMode = connectionMode(fe);
        String uniqueIdHeader = fe.optionalString("unique-id-header");
        if (uniqueIdHeader != null && !HttpToken.isToken(ConfigBytes.of(uniqueIdHeader))) {
            fe.problem("unique-id-header", "'" + uniqueIdHeader + "' is not a header name");
        } else if (uniqueIdHeader != null) {
            // HAProxy sends header names in lower case (A-Z only).
            uniqueIdHeader = AsciiFold.fold(ConfigBytes.of(uniqueIdHeader));
        }
        StatsPageSettings statsPage = statsPage(fe);
        fe.finish();
        return new Settings.Frontend(name, origin, mode, binds, client, httpRequest,
                keepAlive, maxHeader, bufferRequest, defaultBackend, acls, httpRequestRules, httpResponseRules, httpAfterResponseRules, useBackend, tcpRequest,
                logFormat, filters, declareCapture, captureRequestLine, uniqueIdFormat, uniqueIdHeader,
                forwardFor, errorPages, connectionMode, answers, statsPage);
    }

    /**
     * HAProxy's {@code stats uri}, {@code stats refresh}, {@code stats auth}, {@code stats realm} and
     * {@code stats hide-version}. As in HAProxy, any of them turns the page on, at
     * {@code /haproxy?stats} when no URI is written.
     */
    private static StatsPageSettings statsPage(Section fe) {
        String uri = fe.optionalString("stats-uri");
        boolean others = false;
        for (String key : List.of("stats-refresh", "stats-auth", "stats-realm", "stats-hide-version")) {
            others |= fe.value(key) != null;
        }
        if (uri == null && !others) {
            return null;
        }
        if (uri == null) {
            uri = "/haproxy?stats";
        } else if (uri.isEmpty() || uri.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            fe.problem("stats-uri", "must be a URI prefix such as \"/stats\" (no spaces or control characters)");
        }
        // Whole seconds, as HAProxy's "Refresh" header carries them.
        int refresh = fe.value("stats-refresh") == null ? 0
                : (int) (fe.millis("stats-refresh", Duration.ZERO, Duration.ofDays(1)) / 1000);
        List<String> credentials = fe.value("stats-auth") == null ? List.of() : fe.strings("stats-auth");
        for (String pair : credentials) {
            if (pair.indexOf(':') <= 0) {
                fe.problem("stats-auth", "'" + pair + "' is not \"user:password\"");
            }
        }
        String realm = fe.optionalString("stats-realm");
        if (realm == null) {
            realm = StatsPageSettings.DEFAULT_REALM;
        } else if (realm.isEmpty() || realm.chars().anyMatch(c -> c == '"' || c == '\\' || c < ' ' || c == 0x7f)) {
            fe.problem("stats-realm", "must be printable, without quotes or backslashes (it goes into WWW-Authenticate)");
        } else {
            // Sent as its bytes, as HAProxy sends realm "Café": Caf C3 A9.
            realm = ConfigBytes.of(realm);
        }
        boolean hideVersion = fe.value("stats-hide-version") != null && fe.bool("stats-hide-version");
        return new StatsPageSettings(uri, refresh, credentials, realm, hideVersion);
    }

    private List<Settings.Bind> binds(Section fe) {
        List<Settings.Bind> binds = new ArrayList<>();
        ConfigValue value = fe.value("bind");
        if (value == null) {
            fe.problem("bind", "is required: at least one \"host:port\"");
            return binds;
        }
        List<ConfigValue> entries = value.valueType() == ConfigValueType.LIST
                ? (ConfigList) value : List.of(value);
        for (ConfigValue entry : entries) {
            String where = ConfigProblem.describe(entry.origin());
            if (entry.valueType() == ConfigValueType.STRING) {
                InetSocketAddress address = address((String) entry.unwrapped(), entry, fe.path() + ".bind");
                if (address != null) {
                    binds.add(new Settings.Bind(address, 0, where));
                }
            } else if (entry.valueType() == ConfigValueType.OBJECT) {
                Config object = ((ConfigObject) entry).toConfig();
                Section bind = new Section(object, fe.path() + ".bind", problems);
                String text = bind.string("address");
                int thread = bind.has("thread") ? bind.integer("thread", 1, 1024) : 0;
                boolean ssl = bind.has("ssl") && bind.bool("ssl");
                String proto = bind.has("proto") ? bind.string("proto") : null;
                if (proto != null && !proto.equals("h1") && !proto.equals("h2")) {
                    bind.problem("proto", "must be h1 or h2, not \"" + proto + "\"");
                }
                if (!ssl) {
                    // The other keys of a TLS bind (crt, verify...) are the tls plugin's, read at build.
                    bind.finish();
                }
                InetSocketAddress address = address(text, entry, fe.path() + ".bind.address");
                if (address != null) {
                    binds.add(new Settings.Bind(address, thread, where, ssl ? object : null, proto));
                }
            } else {
                problems.add(entry.origin(), fe.path() + ".bind",
                        "must be \"host:port\" or { address = \"host:port\", thread = N, proto = h2, ssl = true, crt = ... }");
            }
        }
        if (binds.isEmpty() && problems.isEmpty()) {
            fe.problem("bind", "is empty: at least one \"host:port\" is required");
        }
        return binds;
    }

    private Settings.Backend backend(String name, Section be, Config serverDefaults, String origin) {
        Settings.ModeName mode = mode(be);
        Settings.Balancing balancing = BalanceReader.read(be);
        String balance = balancing.algorithm();
        List<Settings.Server> servers = new ArrayList<>();
        // HAProxy's default-server: the backend's server keys, over those of the defaults.
        ConfigValue defaultServer = be.value("default-server");
        Config backendServerDefaults = serverDefaults;
        if (defaultServer != null && defaultServer.valueType() == ConfigValueType.OBJECT) {
            backendServerDefaults = ((ConfigObject) defaultServer).toConfig().withFallback(serverDefaults);
            for (String key : ((ConfigObject) defaultServer).keySet()) {
                if (key.equals("address")) {
                    problems.add(defaultServer.origin(), be.path() + ".default-server.address",
                            "a default-server has no address");
                }
            }
        } else if (defaultServer != null) {
            be.problem("default-server", "must be an object of server keys: { inter = 2s, rise = 2, fall = 3 }");
        }
        Config perServer = backendServerDefaults;
        be.named("servers").forEach((serverName, value) -> {
            Settings.Server server = server(be.path() + ".servers." + serverName, serverName, value, perServer);
            if (server != null) {
                servers.add(server);
            }
        });
        if (servers.isEmpty() && !be.has("servers")) {
            be.problem("servers", "is required: at least one server");
        }
        Section timeout = be.section("timeout");
        long connect = timeout.millis("connect", MS, DAY);
        long server = timeout.millis("server", MS, DAY);
        long tunnel = timeout.millis("tunnel", ZERO, Duration.ofDays(365));
        long beTarpit = timeout.millis("tarpit", ZERO, DAY);
        long check = timeout.millis("check", ZERO, DAY);
        timeout.finish();
        HealthCheckReader health = new HealthCheckReader(problems);
        io.luagate.spi.health.HttpCheck httpCheck = health.backend(be);
        servers.replaceAll(s -> s.withCheck(HealthCheckReader.complete(s.check(), httpCheck, check, connect)));
        for (Settings.Server s : servers) {
            health.checkObserve(s, be.path() + ".servers." + s.name(), mode.name());
        }
        int redispatch = redispatch(be);
        int retries = be.integer("retries", 0, 100);
        String reuse = be.oneOf("http-reuse", List.of("never", "safe", "aggressive", "always"));
        ForwardFor forwardFor = forwardFor(be);
        ErrorPages errorPages = errorFiles(be);
        ConnectionMode connectionMode = connectionMode(be);
        boolean bufferRequest = be.bool("http-buffer-request");
        Section pool = be.section("pool");
        int maxIdle = pool.integer("max-idle", 0, 1_000_000);
        long idleTimeout = pool.millis("idle-timeout", MS, DAY);
        String poolName = pool.string("name");
        pool.finish();
        Map<String, List<Settings.Rule>> acls = acls(be);
        List<Settings.Rule> httpRequestRules = rules(be, "http-request");
        List<Settings.Rule> httpResponseRules = rules(be, "http-response");
        List<Settings.Rule> httpAfterResponseRules = rules(be, "http-after-response");
        List<Settings.Rule> tcpResponseRules = rules(be, "tcp-response");
        List<Settings.Rule> filters = rules(be, "filter");
        Settings.Answers answers = new Settings.Answers(rules(be, "http-error"), beTarpit, null, List.of());
        // The keys left are the balancer plugin's, or unknown: ProxyBuilder tells once the plugin has read its own.
        balancing = BalanceReader.withOptions(balancing, be.takeUnread());
        be.finish();
        return new Settings.Backend(name, origin, mode, balance, List.copyOf(servers),
                connect, server, tunnel, retries, HttpReuse.valueOf(reuse.toUpperCase(Locale.ROOT)), forwardFor, bufferRequest,
                maxIdle, idleTimeout, poolName, acls, httpRequestRules, httpResponseRules, httpAfterResponseRules,
                tcpResponseRules, filters, errorPages, connectionMode, answers, balancing, redispatch);
    }

    /** {@code redispatch}: false, true (HAProxy's {@code option redispatch}, that is -1), or HAProxy's interval. */
    private static int redispatch(Section be) {
        ConfigValue value = be.value("redispatch");
        if (value == null || value.valueType() == ConfigValueType.BOOLEAN) {
            return value != null && (Boolean) value.unwrapped() ? -1 : 0;
        }
        if (value.valueType() == ConfigValueType.NUMBER && value.unwrapped() instanceof Integer interval) {
            return interval;
        }
        be.problem("redispatch", "must be true, false or an interval (HAProxy's option redispatch <interval>)");
        return 0;
    }

    private Settings.Server server(String path, String name, ConfigValue value, Config defaults) {
        checkName("server", name, value, path);
        Config merged;
        if (value.valueType() == ConfigValueType.STRING) {
            merged = defaults.withValue("address", value);
        } else if (value.valueType() == ConfigValueType.OBJECT) {
            merged = ((ConfigObject) value).toConfig().withFallback(defaults);
        } else {
            problems.add(value.origin(), path, "must be \"host:port\" or { address = \"host:port\", weight = N }");
            return null;
        }
        Section server = new Section(merged, path, problems);
        String text = server.string("address");
        int weight = server.integer("weight", 0, 256);
        boolean disabled = server.bool("disabled");
        boolean backup = server.bool("backup");
        boolean ssl = server.has("ssl") && server.bool("ssl");
        io.luagate.spi.health.ServerCheckSettings check = new HealthCheckReader(problems).server(server);
        String proto = null;
        if (server.has("proto")) {
            // HAProxy's "proto": the protocol spoken from the first byte, whatever ALPN offers.
            proto = server.string("proto");
            if (!proto.equals("h1") && !proto.equals("h2")) {
                problems.add(merged.getValue("proto").origin(), path + ".proto", "'" + proto + "' is not one of h1, h2");
                proto = null;
            }
        }
        Settings.Rule sni = null;
        if (ssl) {
            if (server.has("sni")) {
                sni = new Settings.Rule(server.string("sni"), ConfigProblem.describe(merged.getValue("sni").origin()));
            }
            // The other keys of a TLS server (verify, ca-file, crt, alpn) are the tls plugin's, read at build.
        } else {
            server.finish();
        }
        if (!merged.hasPath("address")) {
            // A server object without an address: reported as required by server.string above.
            return null;
        }
        InetSocketAddress address = address(text, merged.getValue("address"), path + ".address");
        return address == null ? null : new Settings.Server(name, address, weight, disabled, backup,
                ssl ? merged : null, sni, ConfigProblem.describe(value.origin()), proto, check);
    }

    /** {@code acl { name = "<definition>" }}, or a list of definitions for one name (any matches). */
    private Map<String, List<Settings.Rule>> acls(Section section) {
        Map<String, List<Settings.Rule>> acls = new LinkedHashMap<>();
        section.named("acl").forEach((name, value) -> {
            checkName("acl", name, value, section.path() + ".acl." + name);
            List<ConfigValue> entries = value.valueType() == ConfigValueType.LIST ? (ConfigList) value : List.of(value);
            List<Settings.Rule> definitions = new ArrayList<>();
            for (ConfigValue entry : entries) {
                if (entry.valueType() != ConfigValueType.STRING) {
                    problems.add(entry.origin(), section.path() + ".acl." + name, "must be a definition string or a list of them");
                } else {
                    definitions.add(new Settings.Rule((String) entry.unwrapped(), ConfigProblem.describe(entry.origin())));
                }
            }
            acls.put(name, List.copyOf(definitions));
        });
        return acls;
    }

    private List<Settings.Rule> rules(Section section, String key) {
        List<Settings.Rule> rules = new ArrayList<>();
        ConfigValue value = section.value(key);
        if (value == null) {
            return rules;
        }
        if (value.valueType() != ConfigValueType.LIST) {
            section.problem(key, "must be a list of rule strings");
            return rules;
        }
        for (ConfigValue entry : (ConfigList) value) {
            if (entry.valueType() != ConfigValueType.STRING) {
                problems.add(entry.origin(), section.path() + "." + key, "each rule must be a string");
            } else {
                rules.add(new Settings.Rule((String) entry.unwrapped(), ConfigProblem.describe(entry.origin())));
            }
        }
        return rules;
    }

    /**
     * A {@code defaults} block, or nothing when it (or {@code defaults}) is not an object: that is
     * reported where the block is read ({@link #checkDefaults}, {@code root.section}).
     */
    private static Config defaultsOf(Config config, String path) {
        try {
            return config.getConfig(path);
        } catch (com.typesafe.config.ConfigException e) {
            // What goes missing with it is then told at the value that took its place.
            String where = config.hasPath(path) ? path : "defaults";
            com.typesafe.config.ConfigOrigin origin = config.hasPath(where) ? config.getValue(where).origin()
                    : config.root().origin();
            return com.typesafe.config.ConfigValueFactory.fromMap(Map.of()).withOrigin(origin).toConfig();
        }
    }

    /** The keys a frontend or backend may have; {@code defaults} blocks are checked against them. */
    private void checkDefaults(Section defaults) {
        checkKeys(defaults, "frontend", List.of("mode", "bind", "timeout", "max-header-size", "http-buffer-request", "default-backend", "acl", "log-format",
                "http-request", "http-response", "http-after-response", "use-backend", "tcp-request", "filter", "declare-capture",
                "capture-request-line", "unique-id-format", "unique-id-header", "forwardfor", "forwardfor-header",
                "forwardfor-except", "forwardfor-if-none", "errorfile", "connection-mode", "http-error", "monitor-uri",
                "monitor-fail", "stats-uri", "stats-refresh", "stats-auth", "stats-realm", "stats-hide-version"));
        checkKeys(defaults, "backend", List.of("mode", "balance", "hash-type", "hash-balance-factor", "servers", "timeout", "retries", "http-reuse",
                "forwardfor", "forwardfor-header", "forwardfor-except", "forwardfor-if-none", "errorfile", "connection-mode",
                "http-buffer-request", "pool", "acl", "http-request", "http-response", "http-after-response", "tcp-response",
                "filter", "http-error", "redispatch", "httpchk", "http-check", "default-server"));
        List<String> serverKeys = new ArrayList<>(List.of("weight", "disabled", "backup", "address", "proto"));
        serverKeys.addAll(HealthCheckReader.SERVER_KEYS);
        checkKeys(defaults, "server", serverKeys);
        checkKeys(defaults, "default-server", serverKeys);
        defaults.finish();
    }

    private void checkKeys(Section defaults, String key, List<String> known) {
        Map<String, ConfigValue> entries = defaults.named(key);
        entries.forEach((k, v) -> {
            if (!known.contains(k)) {
                problems.add(v.origin(), defaults.path() + "." + key + "." + k, "unknown key");
            }
        });
    }

    /** {@code connection-mode}: keep-alive | server-close | close (HAProxy's http-keep-alive, http-server-close, httpclose). */
    private static ConnectionMode connectionMode(Section proxy) {
        String mode = proxy.oneOf("connection-mode", List.of("keep-alive", "server-close", "close"));
        return mode == null ? ConnectionMode.KEEP_ALIVE : ConnectionMode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /**
     * {@code errorfile { <status> = "<file>" }}: HAProxy's {@code errorfile <code> <file>}, each file
     * read and checked now (relative names from the home), as HAProxy loads them at start.
     */
    private ErrorPages errorFiles(Section proxy) {
        Map<Integer, io.luagate.spi.rule.HttpReply> pages = new LinkedHashMap<>();
        proxy.named("errorfile").forEach((code, value) -> {
            String key = proxy.path() + ".errorfile." + code;
            int status;
            try {
                status = Integer.parseInt(code);
            } catch (NumberFormatException e) {
                status = -1;
            }
            if (!ErrorPages.CONFIGURABLE.contains(status)) {
                problems.add(value.origin(), key, "status code '" + code + "' not handled.");
                return;
            }
            if (value.valueType() != ConfigValueType.STRING) {
                problems.add(value.origin(), key, "must be a file name");
                return;
            }
            Path file = home.resolve((String) value.unwrapped()).normalize();
            try {
                pages.put(status, ErrorFileReader.read(file, status, bufferSize));
            } catch (ErrorFileReader.BadErrorFile e) {
                problems.add(value.origin(), key, e.getMessage());
            }
        });
        return ErrorPages.of(pages);
    }

    /**
     * {@code forwardfor} and its {@code forwardfor-header}, {@code -except} and {@code -if-none}
     * (HAProxy's {@code option forwardfor [except <network>] [header <name>] [if-none]}); null when off.
     */
    private ForwardFor forwardFor(Section proxy) {
        boolean on = proxy.bool("forwardfor");
        String header = proxy.string("forwardfor-header");
        String except = proxy.string("forwardfor-except");
        boolean ifNone = proxy.bool("forwardfor-if-none");
        if (!HttpToken.isToken(ConfigBytes.of(header))) {
            proxy.problem("forwardfor-header", "'" + header + "' is not a header name");
        }
        byte[] network = null;
        int prefix = 0;
        if (!except.isEmpty()) {
            int slash = except.indexOf('/');
            String address = slash < 0 ? except : except.substring(0, slash);
            network = io.luagate.kernel.rule.match.IpAddresses.parseAddress(address);
            if (network == null) {
                proxy.problem("forwardfor-except", "'" + except + "' is not a network (address[/prefix])");
                return null;
            }
            prefix = network.length * 8;
            if (slash >= 0) {
                String mask = except.substring(slash + 1);
                byte[] dotted = network.length == 4 && mask.indexOf('.') >= 0
                        ? io.luagate.kernel.rule.match.IpAddresses.parseAddress(mask) : null;
                prefix = dotted != null ? Integer.bitCount(java.nio.ByteBuffer.wrap(dotted).getInt()) : parsePrefix(mask, network.length * 8);
                if (prefix < 0) {
                    proxy.problem("forwardfor-except", "'" + except + "': bad prefix length");
                    return null;
                }
            }
        }
        return on ? new ForwardFor(AsciiFold.fold(header), network, prefix, ifNone) : null;
    }

    private static int parsePrefix(String text, int max) {
        try {
            int value = Integer.parseInt(text);
            return value >= 0 && value <= max ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Parses {@code host:port}, {@code [v6]:port} or {@code *:port}; records a problem and returns null if bad. */
    InetSocketAddress address(String text, ConfigValue where, String key) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            problems.add(where.origin(), key, "'" + text + "' is not host:port");
            return null;
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.equals("*")) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            problems.add(where.origin(), key, "'" + portText + "' in '" + text + "' is not a port number");
            return null;
        }
        if (port < 0 || port > 65535) {
            problems.add(where.origin(), key, "port " + port + " is out of range [0, 65535]");
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            problems.add(where.origin(), key, "cannot resolve host '" + host + "'");
            return null;
        }
    }
}
