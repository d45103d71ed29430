package io.luagate.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.luagate.spi.proxy.ConnectionMode;
import io.luagate.spi.proxy.ForwardFor;
import io.luagate.spi.proxy.StatsPageSettings;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.rule.ErrorPages;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration, as typed values. Built once at start, never changed.
 *
 * @param pluginSections the top-level sections the kernel does not know ({@code lua { ... }}), and
 *                       those of {@code global.tune} ({@code global.tune.h2}), by their dotted path, as
 *                       written: plugins read them; one that no plugin reads is refused later
 */
public record Settings(String source, Global global, Path pluginsDir, Log log,
                       Map<String, Frontend> frontends, Map<String, Backend> backends,
                       Map<String, ConfigValue> pluginSections, Map<String, Userlist> userlists) {

    /**
     * {@code userlists.<name>}: HAProxy's {@code userlist} section, for the {@code http_auth} fetches.
     *
     * @param users  by name
     * @param groups group name to the users its {@code group ... users} line names
     */
    public record Userlist(String name, Map<String, User> users, Map<String, List<String>> groups, String origin) {
    }

    /**
     * One user: {@code password} is a crypt(3) hash unless {@code insecure} (then the clear text);
     * {@code groups} as its {@code user ... groups} line names them.
     */
    public record User(String name, String password, boolean insecure, List<String> groups, String origin) {
    }

    /**
     * The proxy's own answers: {@code http-error} lines, {@code timeout.tarpit}, and (frontends)
     * {@code monitor-uri} with its {@code monitor-fail} conditions.
     *
     * @param tarpitTimeoutMillis 0: unset (a backend then uses its connect timeout)
     * @param monitorUri          {@code null} when unset
     */
    public record Answers(List<Rule> httpErrors, long tarpitTimeoutMillis, String monitorUri, List<Rule> monitorFail) {
    }

    /** {@code global { ... }}. */
    public record Global(int threads, int maxconn, long graceMillis, int bufferSize, int maxHeaders,
                         io.luagate.kernel.net.CpuMap cpuMap) {
    }

    /** {@code log { ... }}: the access log. */
    public record Log(String target, int queueSize) {
    }

    /** A rule string and where it was written, kept for error messages. */
    public record Rule(String text, String origin) {
    }

    /**
     * A {@code mode} as written, with where: which modes exist is known only once the codec
     * plugins are loaded, so they are checked then, naming this place.
     */
    public record ModeName(String name, String origin) {
    }

    /**
     * One listening address; {@code thread} 0 means "every event loop".
     *
     * @param tls   the bind object as written when it has {@code ssl = true} (its TLS keys are the
     *              tls plugin's to read), else {@code null}
     * @param proto the protocol its connections speak from their first byte ({@code h2}, {@code h1};
     *              HAProxy's {@code bind ... proto}), or {@code null}
     */
    public record Bind(InetSocketAddress address, int thread, String origin, Config tls, String proto) {

        /** A plain (not TLS) bind. */
        public Bind(InetSocketAddress address, int thread, String origin) {
            this(address, thread, origin, null, null);
        }

        /** A bind without {@code proto}: the codec's own protocol, or what ALPN chose. */
        public Bind(InetSocketAddress address, int thread, String origin, Config tls) {
            this(address, thread, origin, tls, null);
        }
    }

    /** {@code frontends.<name> { ... }}; {@code statsPage} is {@code null} when it serves no stats page. */
    public record Frontend(String name, String origin, ModeName mode, List<Bind> binds,
                           long clientTimeoutMillis, long httpRequestTimeoutMillis, long httpKeepAliveTimeoutMillis,
                           int maxHeaderSize, boolean httpBufferRequest, String defaultBackend, Map<String, List<Rule>> acls,
                           List<Rule> httpRequest, List<Rule> httpResponse, List<Rule> httpAfterResponse,
                           List<Rule> useBackend, List<Rule> tcpRequest, Rule logFormat, List<Rule> filters,
                           List<Rule> declareCapture, boolean captureRequestLine, Rule uniqueIdFormat,
                           String uniqueIdHeader, ForwardFor forwardFor, ErrorPages errorPages,
                           ConnectionMode connectionMode, Answers answers, StatsPageSettings statsPage) {
    }

    /**
     * {@code backends.<name>.servers.<name>}; {@code backup}: HAProxy's {@code backup} server keyword.
     *
     * @param tls    the server's object (with the defaults) when it is written {@code ssl = true}: its
     *               TLS keys other than {@code sni} are the tls plugin's, read at build; else {@code null}
     * @param sni    the {@code sni} sample expression as written, or {@code null}
     * @param origin where the server is written, for messages
     * @param check  how it is checked and observed ({@code check}, {@code inter}... with its backend's
     *               {@code httpchk} and timeouts)
     */
    public record Server(String name, InetSocketAddress address, int weight, boolean disabled, boolean backup,
                         Config tls, Rule sni, String origin, String proto,
                         io.luagate.spi.health.ServerCheckSettings check) {

        /** A plain (not TLS) server. */
        public Server(String name, InetSocketAddress address, int weight, boolean disabled, boolean backup) {
            this(name, address, weight, disabled, backup, null, null, null, null,
                    io.luagate.spi.health.ServerCheckSettings.NONE);
        }

        /** This server with {@code check} as its check settings. */
        public Server withCheck(io.luagate.spi.health.ServerCheckSettings check) {
            return new Server(name, address, weight, disabled, backup, tls, sni, origin, proto, check);
        }
    }

    /**
     * A backend's balancing: its {@code balance} value split into the algorithm and its arguments,
     * its hashing options, and the keys of its object the kernel does not know (the balancer
     * plugin's, read when the balancer is checked; any left unread then is an unknown key).
     *
     * @param arguments what follows the algorithm: the words in its parentheses ({@code random(3)}),
     *                  then the words after it ({@code url_param id}, {@code hash req.hdr(x),lower})
     * @param origin    where {@code balance} is written, as {@code file:line}
     * @param options   the backend's other keys, with their origins, as one object
     */
    public record Balancing(String algorithm, List<String> arguments, String origin,
                            io.luagate.spi.balancer.HashType hashType, int hashBalanceFactor, Config options) {
    }

    /**
     * {@code backends.<name> { ... }}; {@code tcpResponse} holds the {@code tcp-response} list as
     * written; {@code balance} is the algorithm's name, {@code balancing} the whole of it.
     * {@code redispatch} is HAProxy's {@code option redispatch <interval>}: 0 off (a failed connect
     * is retried on the same server), -1 ({@code true}) the last retry goes elsewhere, N every Nth.
     */
    public record Backend(String name, String origin, ModeName mode, String balance, List<Server> servers,
                          long connectTimeoutMillis, long serverTimeoutMillis, long tunnelTimeoutMillis,
                          int retries, HttpReuse httpReuse, ForwardFor forwardFor, boolean httpBufferRequest,
                          int poolMaxIdle, long poolIdleTimeoutMillis, String poolName, Map<String, List<Rule>> acls,
                          List<Rule> httpRequest, List<Rule> httpResponse, List<Rule> httpAfterResponse,
                          List<Rule> tcpResponse, List<Rule> filters, ErrorPages errorPages,
                          ConnectionMode connectionMode, Answers answers, Balancing balancing, int redispatch) {
    }
}
