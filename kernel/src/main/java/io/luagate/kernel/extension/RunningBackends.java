package io.luagate.kernel.extension;

import io.luagate.spi.proxy.Backend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running backends by name, published once the proxies exist: what samples compiled before
 * (at load, by a plugin) look up when they run, such as {@code nbsrv(name)}.
 */
public final class RunningBackends {

    private final Map<String, Backend> backends = new ConcurrentHashMap<>();

    void publish(Map<String, ? extends Backend> running) {
        backends.putAll(running);
    }

    /** The backend {@code name}, or {@code null} before the start or when there is none. */
    public Backend get(String name) {
        return backends.get(name);
    }
}
