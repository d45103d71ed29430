package io.luagate.kernel;

import io.luagate.kernel.config.Settings;
import io.luagate.kernel.extension.Extensions;
import io.luagate.kernel.net.BoundListener;
import io.luagate.kernel.proxy.DefaultBackend;
import io.luagate.kernel.proxy.DefaultFrontend;
import io.luagate.kernel.proxy.DefaultServer;
import io.luagate.kernel.proxy.Proxies;
import io.luagate.kernel.stream.GenerationLease;
import io.luagate.spi.pool.UpstreamPool;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * One generation of the configuration: what a start or a reload built from one reading of the
 * configuration file (frontends and backends with their rules, per-loop balancers and pools, the
 * extensions made for it, Lua states among them). The newest generation takes every new stream;
 * an older one serves its streams in flight and its connections until they move on, and is then
 * retired: its extensions stop, its pools and TLS contexts close, and nothing refers to it any more.
 */
final class Generation {

    private final long number;
    private final Settings settings;
    private final Extensions extensions;
    private final Proxies proxies;
    private final GenerationLease lease;
    /** Whether it ever took streams (a reload that failed to bind builds one that never does). */
    private volatile boolean served;

    Generation(long number, Settings settings, Extensions extensions, Proxies proxies) {
        this.number = number;
        this.settings = settings;
        this.extensions = extensions;
        this.proxies = proxies;
        this.lease = new GenerationLease(number);
    }

    long number() {
        return number;
    }

    Settings settings() {
        return settings;
    }

    Extensions extensions() {
        return extensions;
    }

    Proxies proxies() {
        return proxies;
    }

    GenerationLease lease() {
        return lease;
    }

    /** It is current: new streams come to it. */
    void serve() {
        served = true;
    }

    boolean served() {
        return served;
    }

    /**
     * Closes the idle upstream connections of loop {@code index}; a connection busy now is not
     * taken back (the closed pool refuses it) and closes after its stream. Runs on that loop.
     */
    void closePools(int index) {
        for (DefaultBackend backend : proxies.backends().values()) {
            UpstreamPool pool = backend.pool(index);
            if (pool != null) {
                pool.close();
            }
        }
    }

    /**
     * Closes the shared (HTTP/2) upstream connections of loop {@code index}: only once the
     * generation is retired, when no stream of it is left to use them, or when luagate closes.
     * Runs on that loop.
     */
    void closeMultiplexed(int index) {
        for (DefaultBackend backend : proxies.backends().values()) {
            backend.multiplexed(index).closeAll();
        }
    }

    /**
     * Releases the TLS contexts of the binds and servers (native memory with OpenSSL), once no
     * connection of this generation can open an engine on them any more.
     */
    void closeTls() {
        Set<Object> closed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (DefaultFrontend frontend : proxies.frontends().values()) {
            for (BoundListener listener : frontend.listeners()) {
                if (listener.tls() != null && closed.add(listener.tls())) {
                    listener.tls().close();
                }
            }
        }
        for (DefaultBackend backend : proxies.backends().values()) {
            for (DefaultServer server : backend.servers()) {
                if (server.tls() != null && closed.add(server.tls().origin())) {
                    server.tls().origin().close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "generation " + number;
    }
}
