package io.luagate.spi.codec;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.stream.Session;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A protocol, selected by a frontend's or backend's {@code mode} ({@code http}, {@code tcp}, ...).
 *
 * <p>The kernel accepts connections and owns each stream's lifecycle (backend and server choice,
 * upstream connect with retries, byte tunnels, timers, the access log); a codec turns the bytes of
 * one connection into streams and drives them through {@link io.luagate.spi.stream.Stream}.
 *
 * <p>Both methods run on the channel's own event loop, before the channel is active.
 */
public interface Codec extends ExtensionPoint {

    /**
     * The mode this codec serves: its name (the {@code mode} value, for example {@code "http"})
     * and what the kernel must know about it. Called once, when the plugins are loaded.
     */
    Mode mode();

    /**
     * The ALPN protocol ids ({@code http/1.1}, {@code h2}) this codec speaks on a client
     * connection, most preferred first: a TLS bind offers only these. Empty (the default) when the
     * codec carries any bytes, as a TCP tunnel does: the bind's {@code alpn} list is then offered
     * as written.
     */
    default List<String> applicationProtocols() {
        return List.of();
    }

    /**
     * The ALPN protocol ids this codec speaks on a connection to a server, most preferred first: a
     * TLS server offers only these of its {@code alpn}. Empty (the default) when the codec carries
     * any bytes: the server's {@code alpn} list is then offered as written.
     */
    default List<String> upstreamApplicationProtocols() {
        return List.of();
    }

    /**
     * The configuration section this codec reads, by its dotted path (the http codec's
     * {@code global.tune.h2}), or {@code null} (the default) for none. A top-level key or a key of
     * {@code global.tune}: the kernel reads neither of those it does not know, and refuses one that
     * no loaded plugin reads.
     */
    default String configSection() {
        return null;
    }

    /**
     * A resource of this plugin holding the defaults of {@link #configSection()} in HOCON, with
     * their comments (its reference file), or {@code null}. Loaded with the plugin's class loader.
     */
    default String defaultsResource() {
        return null;
    }

    /**
     * Reads {@link #configSection()} (the user's keys over the defaults), once, before any
     * connection, and also for {@code luagate check}. A bad value goes to
     * {@link ConfigSection#problem} with its file and line; luagate then refuses to start. Not
     * called when {@link #configSection()} is {@code null}.
     */
    default void configure(ConfigSection section) {
    }

    /**
     * Installs this codec's handlers on an accepted client connection. The channel has
     * {@code autoRead} off: the codec asks for reads when it can take bytes.
     */
    void initClient(Channel channel, Session session);

    /**
     * Installs this codec's handlers on a brand-new upstream connection of {@code backend}. Pooled
     * connections keep the handlers they were given here.
     */
    void initUpstream(Channel channel, Backend backend);

    /**
     * Turns a brand-new upstream connection, set up by {@link #initUpstream} (and its TLS handshake
     * done), into a multiplexed one when it speaks {@code protocol} (the server's {@code proto}, or
     * what ALPN chose): the future completes once the server has shown it speaks it (HTTP/2: its
     * SETTINGS), and fails (the connection closed) when it does not, which counts as a failed
     * connect. Returns {@code null} when {@code protocol} carries one request at a time (the
     * default): the connection is then used as {@link #initUpstream} left it.
     *
     * @param connectTimeoutMillis how long the server has to show it speaks {@code protocol}
     * @param idleTimeoutMillis    how long the connection is kept with no stream open
     */
    default Future<MultiplexedConnection> multiplex(Channel channel, String protocol, long connectTimeoutMillis,
                                                    long idleTimeoutMillis) {
        return null;
    }
}
