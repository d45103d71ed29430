package io.luagate.kernel.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.config.TestCodecs;
import io.luagate.kernel.metrics.Metrics;
import io.luagate.kernel.net.EventLoops;
import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers added and removed at run time (HAProxy's {@code add server} / {@code del server}): read
 * from the keys a configured server takes, HAProxy's rules and texts, every loop's balancer rebuilt
 * on its own loop, metrics made and removed.
 */
class RuntimeServersTest {

    @TempDir
    Path dir;

    private final Metrics metrics = new Metrics();
    /** Each balancer made: the thread that made it and the servers it was given. */
    private final ConcurrentLinkedQueue<String> made = new ConcurrentLinkedQueue<>();
    private EventLoops loops;
    private Plugins plugins;
    private DefaultBackend backend;

    /** A balancer that picks the first server up, and tells where and over what it was made. */
    private final BalancerFactory firstUp = new BalancerFactory() {
        @Override
        public String algorithm() {
            return "first";
        }

        @Override
        public Balancer create(BalancerContext context) {
            List<? extends Server> servers = List.copyOf(context.servers());
            made.add(Thread.currentThread().getName() + " " + servers.stream().map(Server::name).toList());
            return avoid -> servers.stream().filter(Server::isUp).findFirst().orElse(null);
        }
    };

    @BeforeEach
    void build() throws Exception {
        Settings settings = ConfigLoader.load(Files.writeString(dir.resolve("t.conf"), """
                defaults.server { weight = 7 }
                frontends.web { bind = [ "127.0.0.1:1" ], default-backend = app }
                backends.app { balance = first, http-reuse = never, servers { a = "127.0.0.1:2" } }
                """), dir);
        loops = new EventLoops(2);
        plugins = new Plugins(dir.resolve("no-plugins"), () -> null);
        ProxyBuilder builder = new ProxyBuilder(settings, plugins, TestCodecs.HTTP_AND_TCP, Map.of("first", firstUp), dir,
                metrics, RuleLanguage.builtin(dir, Map.of()), null);
        assertEquals(List.of(), builder.validate().list());
        backend = builder.build(loops, server -> { }).backends().get("app");
        made.clear();
    }

    @AfterEach
    void close() {
        loops.close();
        plugins.close();
    }

    /** The balancer loop {@code index} holds now, read on that loop. */
    private Balancer balancerOn(int index) throws Exception {
        return loops.loop(index + 1).submit(() -> backend.balancer(index)).get(5, TimeUnit.SECONDS);
    }

    private Server pickOn(int index) throws Exception {
        return loops.loop(index + 1).submit(() -> backend.balancer(index).next(null)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void anAddedServerIsReadLikeAConfiguredOneAndWaitsInMaintenance() throws Exception {
        DefaultServer b = backend.addServer("b", Map.of("address", "127.0.0.1:3", "weight", 3, "backup", true));
        assertEquals(new InetSocketAddress("127.0.0.1", 3), b.address());
        assertEquals(3, b.weight());
        assertTrue(b.isBackup());
        assertEquals(ServerAdmin.MAINT, b.admin(), "HAProxy's add server leaves the server in maintenance");
        assertEquals(List.of("a", "b"), backend.servers().stream().map(Server::name).toList());
        // No default-server applies to an added server, as in HAProxy 2.6: the kernel's weight 1, not 7.
        assertEquals(1, backend.addServer("c", Map.of("address", "127.0.0.1:4")).weight());
        assertEquals(7, backend.server("a").weight());
    }

    @Test
    void everyLoopRebuildsItsBalancerOnItselfOverTheNewList() throws Exception {
        Balancer before = balancerOn(0);
        backend.addServer("b", Map.of("address", "127.0.0.1:3"));
        Balancer after0 = balancerOn(0);
        balancerOn(1);
        assertFalse(before == after0, "loop 1 has a new balancer");
        List<String> seen = List.copyOf(made);
        assertEquals(2, seen.size(), seen.toString());
        for (String line : seen) {
            assertTrue(line.endsWith(" [a, b]"), line);
            assertFalse(line.startsWith("Test worker") || line.startsWith("main"), "made on a loop: " + line);
        }
        assertTrue(!seen.get(0).split(" ")[0].equals(seen.get(1).split(" ")[0]), "one per loop: " + seen);
        backend.server("a").setAdmin(ServerAdmin.MAINT);
        assertNull(pickOn(0));
        backend.server("b").setAdmin(ServerAdmin.READY);
        assertSame(backend.server("b"), pickOn(0));
        assertSame(backend.server("b"), pickOn(1));
    }

    @Test
    void wrongKeysAreToldByNameAndAddNothing() {
        IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
                () -> backend.addServer("b", Map.of("address", "127.0.0.1:3", "weight", 999)));
        assertTrue(weight.getMessage().startsWith("backends.app.servers.b.weight: "), weight.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> backend.addServer("b", Map.of("address", "127.0.0.1:3", "colour", "red")));
        assertEquals("backends.app.servers.b.colour: unknown key", unknown.getMessage());
        IllegalArgumentException noAddress = assertThrows(IllegalArgumentException.class,
                () -> backend.addServer("b", Map.of("weight", 2)));
        assertTrue(noAddress.getMessage().contains("backends.app.servers.b.address"), noAddress.getMessage());
        IllegalArgumentException tls = assertThrows(IllegalArgumentException.class,
                () -> backend.addServer("b", Map.of("address", "127.0.0.1:3", "ssl", true)));
        assertTrue(tls.getMessage().contains("backends.app.servers.b.ssl: ssl = true, but"), tls.getMessage());
        assertEquals("Already exists a server with the same name in backend.",
                assertThrows(IllegalArgumentException.class, () -> backend.addServer("a", Map.of("address", "127.0.0.1:3")))
                        .getMessage());
        assertEquals(List.of("a"), backend.servers().stream().map(Server::name).toList());
        assertTrue(made.isEmpty(), made.toString());
    }

    @Test
    void onlyAServerInMaintenanceWithNoStreamIsRemoved() throws Exception {
        DefaultServer a = backend.server("a");
        assertEquals("No such server.", assertThrows(IllegalArgumentException.class, () -> backend.removeServer("x")).getMessage());
        assertEquals("Only servers in maintenance mode can be deleted.",
                assertThrows(IllegalStateException.class, () -> backend.removeServer("a")).getMessage());
        a.setAdmin(ServerAdmin.MAINT);
        a.streamStarted();
        assertEquals("Server still has connections attached to it, cannot remove it.",
                assertThrows(IllegalStateException.class, () -> backend.removeServer("a")).getMessage());
        a.streamEnded();
        assertTrue(metrics.scrape().contains("server=\"a\""));
        backend.removeServer("a");
        assertEquals(List.of(), backend.servers());
        assertNull(pickOn(0));
        assertNull(pickOn(1));
        assertFalse(metrics.scrape().contains("server=\"a\""), "its series are gone");
        // Its name may be used again, with counters from 0.
        DefaultServer again = backend.addServer("a", Map.of("address", "127.0.0.1:5"));
        assertEquals(0, again.stats().totalSessions());
        assertTrue(metrics.scrape().contains("server=\"a\""));
    }
}
