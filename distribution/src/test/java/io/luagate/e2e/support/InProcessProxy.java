package io.luagate.e2e.support;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * luagate started in the test's JVM from a configuration text, with the plugins of the assembled
 * distribution (real jars in target/luagate/plugins, or another directory), so that the leak
 * detector and the test share one process. Bind to "127.0.0.1:0" and ask {@link #port}.
 */
public final class InProcessProxy implements AutoCloseable {

    private final Luagate luagate;
    private final Path configFile;

    private InProcessProxy(Luagate luagate, Path configFile) {
        this.luagate = luagate;
        this.configFile = configFile;
    }

    /** The assembled distribution (target/luagate). */
    public static Path distribution() {
        String dir = System.getProperty("luagate.dist");
        if (dir == null) {
            throw new IllegalStateException("run through Maven (failsafe sets luagate.dist)");
        }
        return Path.of(dir);
    }

    /**
     * The configuration most tests need: frontend "fe" on any port, its default backend "be" with
     * one server "s" at {@code server} and {@code backendKeys} (HOCON, may be empty); no access log.
     */
    public static String oneBackend(String server, String backendKeys) {
        return """
                log.target = none
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { %s
                  servers { s = "%s" } }
                """.formatted(backendKeys, server);
    }

    public static InProcessProxy start(String hocon) {
        return start(hocon, distribution());
    }

    /** Starts with {@code home} as the distribution home ({@code plugins.dir} is relative to it). */
    public static InProcessProxy start(String hocon, Path home) {
        Path file = writeConfig(hocon);
        Settings settings = ConfigLoader.load(file, home);
        // Started from the file, so that reload() reads it again.
        return new InProcessProxy(Luagate.start(settings, home, file), file);
    }

    public static Path writeConfig(String hocon) {
        try {
            Path file = Files.createTempFile("luagate-test", ".conf");
            Files.writeString(file, hocon);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port(String frontend) {
        return luagate.addresses(frontend).get(0).getPort();
    }

    public Luagate luagate() {
        return luagate;
    }

    public Path configFile() {
        return configFile;
    }

    /** Drains as on SIGTERM, in the background; returns a latch counted down when it is done. */
    public CountDownLatch drainInBackground(Duration grace) {
        CountDownLatch done = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            luagate.drain(grace, new CountDownLatch(1));
            done.countDown();
        }, "drain");
        thread.start();
        return done;
    }

    @Override
    public void close() {
        luagate.close();
    }
}
