package io.luagate.testkit;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.InvalidConfigException;
import io.luagate.kernel.config.Settings;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real luagate kernel running in the test's JVM: the plugin under test (its packaged jar) and
 * the shipped plugins a test names are copied into a fresh plugins directory and loaded by PF4J as
 * in production; the configuration is a HOCON string. Frontends bind where the configuration says:
 * bind to {@code "127.0.0.1:0"} and ask {@link #port}. Netty's leak detector runs at paranoid.
 *
 * <pre>{@code
 * try (RecordingUpstream a = RecordingUpstream.start("a");
 *      LuagateUnderTest luagate = LuagateUnderTest.start("""
 *          frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
 *          backends.be { balance = my-algorithm, servers { a = "%s" } }
 *          """.formatted(a.address()), "http", "pool")) {
 *     assertEquals("a", RecordingUpstream.servedBy(luagate.get("fe", "/")));
 * }
 * }</pre>
 */
public final class LuagateUnderTest implements AutoCloseable {

    /** Keys every configuration starts from (the test's own text overrides them). */
    private static final String DEFAULTS = "log.target = none\n";

    private final Luagate luagate;
    private final Path home;
    private final HttpClient http;

    private LuagateUnderTest(Luagate luagate, Path home) {
        this.luagate = luagate;
        this.home = home;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Starts luagate on {@code hocon} with the plugin under test and the shipped plugins
     * {@code pluginIds} (by Plugin-Id: "http", "pool", "balancer-roundrobin", "lua", "tcp", "tls").
     *
     * @throws InvalidConfigException when luagate refuses the configuration (see {@link #check})
     */
    public static LuagateUnderTest start(String hocon, String... pluginIds) {
        return startWith(hocon, jars(pluginIds));
    }

    /** Starts luagate on {@code hocon} with exactly the plugin jars {@code pluginJars}. */
    public static LuagateUnderTest startWith(String hocon, List<Path> pluginJars) {
        paranoidLeakDetection();
        Path home = home(hocon, pluginJars);
        try {
            Settings settings = ConfigLoader.load(home.resolve("luagate.conf"), home);
            return new LuagateUnderTest(Luagate.start(settings, home), home);
        } catch (RuntimeException e) {
            delete(home);
            throw e;
        }
    }

    /**
     * What {@code luagate check} says of {@code hocon} with the plugin under test and the shipped
     * plugins {@code pluginIds}: one line per problem ("file:line: key: message"), empty when the
     * configuration would start.
     */
    public static List<String> check(String hocon, String... pluginIds) {
        Path home = home(hocon, jars(pluginIds));
        try {
            Settings settings = ConfigLoader.load(home.resolve("luagate.conf"), home);
            return Luagate.check(settings, home).list().stream().map(ConfigProblem::toString).toList();
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        } finally {
            delete(home);
        }
    }

    private static List<Path> jars(String... pluginIds) {
        Path underTest = PluginJars.underTest();
        String ownId = PluginJars.pluginId(underTest);
        Set<Path> jars = new LinkedHashSet<>();
        jars.add(underTest);
        for (String id : pluginIds) {
            if (!id.equals(ownId)) {
                jars.add(PluginJars.byId(id));
            }
        }
        return List.copyOf(jars);
    }

    /** A fresh luagate home: plugins/ with copies of the jars, and luagate.conf. */
    private static Path home(String hocon, List<Path> pluginJars) {
        try {
            Path home = Files.createTempDirectory("luagate-testkit");
            Path plugins = Files.createDirectories(home.resolve("plugins"));
            for (Path jar : pluginJars) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
            Files.writeString(home.resolve("luagate.conf"), DEFAULTS + hocon);
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out a luagate home for the test", e);
        }
    }

    /** Paranoid unless the test JVM was started with a level of its own. */
    private static void paranoidLeakDetection() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
    }

    /** The port frontend {@code frontend} listens on (its first bind). */
    public int port(String frontend) {
        List<InetSocketAddress> addresses = luagate.addresses(frontend);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no frontend '" + frontend + "' is listening");
        }
        return addresses.get(0).getPort();
    }

    /** {@code http://127.0.0.1:PORT/path} for frontend {@code frontend}. */
    public URI uri(String frontend, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port(frontend) + pathAndQuery);
    }

    /**
     * Sends {@code GET pathAndQuery} to frontend {@code frontend} and waits for the whole answer.
     *
     * @param headers names and values, alternating
     */
    public HttpResponse<String> get(String frontend, String pathAndQuery, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(frontend, pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    /** Sends {@code request} (build its URI with {@link #uri}) and waits for the whole answer. */
    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("request to luagate failed: " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The HTTP/1.1 client {@link #get} and {@link #send} use, for anything else. */
    public HttpClient http() {
        return http;
    }

    /** The luagate home: {@code plugins/} and {@code luagate.conf}. */
    public Path home() {
        return home;
    }

    /** Stops luagate at once (open connections are closed) and deletes its home. */
    @Override
    public void close() {
        try {
            http.close();
        } finally {
            try {
                luagate.close();
            } finally {
                delete(home);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A home left in the temporary directory harms no test.
        }
    }
}
