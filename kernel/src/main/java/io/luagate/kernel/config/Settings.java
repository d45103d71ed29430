package io.luagate.kernel.config;

import com.typesafe.config.ConfigValue;
import io.luagate.spi.proxy.ConnectionMode;
import io.luagate.spi.proxy.ForwardFor;
import io.luagate.spi.proxy.HttpReuse;
import io.luagate.spi.rule.ErrorPages;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration, as typed values. Built once at start, never changed.
 *
 * @param pluginSections the top-level sections the kernel does not know ({@code lua { ... }}), as
 *                       written: plugins read them; one that no plugin reads is refused later
 */
public record Settings(String source, Global global, Path pluginsDir, Log log,
                       Map<String, Frontend> frontends, Map<String, Backend> backends,
                       Map<String, ConfigValue> pluginSections) {

    /** {@code global { ... }}. */
    public record Global(int threads, int maxconn, long graceMillis, int bufferSize, int maxHeaders) {
    }

    /** {@code log { ... }}: the access log. */
    public record Log(String target, int queueSize) {
    }

    /** A rule string and where it was written, kept for error messages. */
    public record Rule(String text, String origin) {
    }

    /** One listening address; {@code thread} 0 means "every event loop". */
    public record Bind(InetSocketAddress address, int thread, String origin) {
    }

    /** {@code frontends.<name> { ... }}. */
    public record Frontend(String name, String origin, String mode, List<Bind> binds,
                           long clientTimeoutMillis, long httpRequestTimeoutMillis, long httpKeepAliveTimeoutMillis,
                           int maxHeaderSize, boolean httpBufferRequest, String defaultBackend, Map<String, List<Rule>> acls,
                           List<Rule> httpRequest, List<Rule> httpResponse, List<Rule> httpAfterResponse,
                           List<Rule> useBackend, List<Rule> tcpRequest, Rule logFormat, List<Rule> filters,
                           List<Rule> declareCapture, boolean captureRequestLine, Rule uniqueIdFormat,
                           String uniqueIdHeader, ForwardFor forwardFor, ErrorPages errorPages,
                           ConnectionMode connectionMode) {
    }

    /** {@code backends.<name>.servers.<name>}; {@code backup}: HAProxy's {@code backup} server keyword. */
    public record Server(String name, InetSocketAddress address, int weight, boolean disabled, boolean backup) {
    }

    /** {@code backends.<name> { ... }}; {@code tcpResponse} holds the {@code tcp-response} list as written. */
    public record Backend(String name, String origin, String mode, String balance, List<Server> servers,
                          long connectTimeoutMillis, long serverTimeoutMillis, long tunnelTimeoutMillis,
                          int retries, HttpReuse httpReuse, ForwardFor forwardFor, boolean httpBufferRequest,
                          int poolMaxIdle, long poolIdleTimeoutMillis, String poolName, Map<String, List<Rule>> acls,
                          List<Rule> httpRequest, List<Rule> httpResponse, List<Rule> httpAfterResponse,
                          List<Rule> tcpResponse, List<Rule> filters, ErrorPages errorPages,
                          ConnectionMode connectionMode) {
    }
}
