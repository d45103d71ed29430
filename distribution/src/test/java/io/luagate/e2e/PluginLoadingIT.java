package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.testing.PluginJarBuilder;
import io.luagate.spi.SpiLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars built here as an outside author's build would make them, well or badly, dropped
 * next to the distribution's own: {@code plugins}, {@code check} and {@code run} of bin/luagate
 * name every jar that does not serve, in one line each, and a plugin's {@code @Inject}ed SPI
 * service works in a running proxy.
 */
class PluginLoadingIT {

    private final Path dist = InProcessProxy.distribution();

    @TempDir
    Path work;

    /** A plugins directory with copies of the distribution's plugins of the given ids. */
    private Path pluginsWith(String... ids) throws IOException {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        for (String id : ids) {
            try (Stream<Path> jars = Files.list(dist.resolve("plugins"))) {
                Path jar = jars.filter(p -> p.getFileName().toString().matches("luagate-plugin-" + id + "-\\d.*"))
                        .findFirst().orElseThrow(() -> new AssertionError("no jar for plugin " + id));
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        return plugins;
    }

    private static String balancer(String pkg, String algorithm) {
        return """
                package %s;
                @org.pf4j.Extension
                public final class First implements io.luagate.spi.balancer.BalancerFactory {
                    public String algorithm() { return "%s"; }
                    public io.luagate.spi.balancer.Balancer create(
                            java.util.List<? extends io.luagate.spi.proxy.Server> servers) {
                        return avoid -> servers.get(0);
                    }
                }
                """.formatted(pkg, algorithm);
    }

    /** Every kind of jar that must not serve, each next to the distribution's good ones. */
    private Path brokenPlugins() throws IOException {
        Path plugins = pluginsWith("http", "balancer-roundrobin", "pool");
        PluginJarBuilder.library().source("com.example.lib.Util", "package com.example.lib; public class Util {}")
                .build(plugins, "util-1.0.jar");
        PluginJarBuilder.plugin("balancer-noindex", "1.0.0").withoutIndex()
                .source("com.example.noindex.First", balancer("com.example.noindex", "noindex")).build(plugins, "noindex.jar");
        PluginJarBuilder.plugin("balancer-future", "1.0.0").manifest("Plugin-Requires", ">=99.0.0")
                .source("com.example.future.First", balancer("com.example.future", "future")).build(plugins, "future.jar");
        PluginJarBuilder.plugin("balancer-twice", "1.0.0")
                .source("com.example.old.First", balancer("com.example.old", "twice")).build(plugins, "twice-1.0.0.jar");
        PluginJarBuilder.plugin("balancer-twice", "1.1.0")
                .source("com.example.fresh.First", balancer("com.example.fresh", "twice")).build(plugins, "twice-1.1.0.jar");
        PluginJarBuilder.plugin("balancer-rr-too", "1.0.0")
                .source("com.example.rr.First", balancer("com.example.rr", "roundrobin")).build(plugins, "rr-too.jar");
        PluginJarBuilder.plugin("balancer-newer", "1.0.0")
                .source("io.luagate.spi.balancer.StreamAware", "package io.luagate.spi.balancer; public interface StreamAware {}")
                .source("com.example.newer.First", """
                        package com.example.newer;
                        @org.pf4j.Extension
                        public final class First implements io.luagate.spi.balancer.BalancerFactory,
                                io.luagate.spi.balancer.StreamAware {
                            public String algorithm() { return "newer"; }
                            public io.luagate.spi.balancer.Balancer create(
                                    java.util.List<? extends io.luagate.spi.proxy.Server> servers) { return null; }
                        }
                        """)
                .omit("io.luagate.spi.balancer.StreamAware").build(plugins, "newer.jar");
        PluginJarBuilder.plugin("balancer-boom", "1.0.0").manifest("Plugin-Class", "com.example.boom.BoomPlugin")
                .source("com.example.boom.BoomPlugin", """
                        package com.example.boom;
                        public final class BoomPlugin extends org.pf4j.Plugin {
                            @Override
                            public void start() {
                                throw new IllegalStateException("no licence key");
                            }
                        }
                        """)
                .source("com.example.boom.First", balancer("com.example.boom", "boom")).build(plugins, "boom.jar");
        return plugins;
    }

    private static void assertEveryBrokenJarIsNamed(Path plugins, String output) {
        List<String> expected = List.of(
                plugins.resolve("util-1.0.jar") + ": not a plugin: its manifest has no Plugin-Id",
                plugins.resolve("noindex.jar") + ": plugin 'balancer-noindex' 1.0.0 (noindex.jar) has no extensions index",
                plugins.resolve("future.jar") + ": plugin 'balancer-future' 1.0.0 (future.jar) requires SPI level '>=99.0.0';"
                        + " this luagate offers SPI level " + SpiLevel.current(),
                plugins + ": plugin id 'balancer-twice' is in 2 jars: twice-1.0.0.jar (version 1.0.0) and twice-1.1.0.jar"
                        + " (version 1.1.0); none of them is loaded",
                plugins.resolve("rr-too.jar") + ": balance 'roundrobin' is provided by two plugins: ",
                plugins.resolve("newer.jar") + ": plugin 'balancer-newer' 1.0.0 is not loaded: extension com.example.newer.First"
                        + " cannot be made: class not found: io.luagate.spi.balancer.StreamAware (built against another SPI level?",
                plugins.resolve("boom.jar") + ": plugin 'balancer-boom' 1.0.0 (boom.jar) did not start (FAILED:"
                        + " IllegalStateException: no licence key)");
        for (String line : expected) {
            assertTrue(output.lines().anyMatch(l -> l.startsWith(line)), "no line starting '" + line + "' in:\n" + output);
        }
        assertFalse(output.contains("\tat "), "no stack trace without debug:\n" + output);
        assertFalse(output.contains("Exception in"), output);
    }

    @Test
    void pluginsNamesEveryJarThatDoesNotServeAndExitsOne() throws Exception {
        Path plugins = brokenPlugins();
        DistributionProcess listing = DistributionProcess.run(dist, "plugins", "-d", plugins.toString());
        assertEquals(1, listing.exitValue(), listing.output());
        String out = listing.output();
        assertEveryBrokenJarIsNamed(plugins, out);
        assertTrue(out.contains("\n  mode http\n") && out.contains("\n  balance roundrobin\n"), "the good plugins are listed:\n" + out);
        assertTrue(out.contains("7 problem(s) in " + plugins), out);
    }

    @Test
    void checkAndRunRefuseWithTheSameOneLineReport() throws Exception {
        Path plugins = brokenPlugins();
        Path config = Files.writeString(work.resolve("luagate.conf"), """
                plugins.dir = "%s"
                log.target = none
                frontends.fe { bind = ["127.0.0.1:%d"], default-backend = be }
                backends.be { servers { s = "127.0.0.1:1" } }
                """.formatted(plugins, DistributionProcess.freePort()));
        DistributionProcess check = DistributionProcess.run(dist, "check", "-c", config.toString());
        assertEquals(1, check.exitValue(), check.output());
        assertEveryBrokenJarIsNamed(plugins, check.output());

        DistributionProcess run = DistributionProcess.run(dist, "run", "-c", config.toString());
        assertEquals(1, run.exitValue(), run.output());
        assertEveryBrokenJarIsNamed(plugins, run.output());
        assertTrue(run.output().contains("luagate not started: 7 problem(s) in " + config), run.output());
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        DistributionProcess none = DistributionProcess.run(dist);
        assertEquals(2, none.exitValue(), none.output());
        assertTrue(none.output().contains("Usage: luagate"), none.output());
        DistributionProcess missing = DistributionProcess.run(dist, "plugins", "-d", "/missing");
        assertEquals(2, missing.exitValue(), missing.output());
        assertTrue(missing.output().contains("directory not found: /missing"), missing.output());
    }

    @Test
    void checkReportsALuaSyntaxErrorAlsoWithoutAFrontend() throws Exception {
        Path script = Files.writeString(work.resolve("broken.lua"), "core.register_action('x', { 'http-req' }, function(txn)\n");
        Path config = Files.writeString(work.resolve("luagate.conf"), """
                lua.load = [ "%s" ]
                backends.be { balance = fastest, servers { s = "127.0.0.1:1" } }
                """.formatted(script));
        DistributionProcess check = DistributionProcess.run(dist, "check", "-c", config.toString());
        assertEquals(1, check.exitValue(), check.output());
        String out = check.output();
        assertTrue(out.contains("frontends: no frontend is configured"), out);
        assertTrue(out.contains("lua.load: ") && out.contains("broken.lua:2: 'end' expected (to close 'function' at line 1) near <eof>"),
                "the script's syntax error, in Lua 5.3's words:\n" + out);
        assertTrue(out.contains("no installed plugin provides balance 'fastest' (installed: hash, hdr, leastconn, random, roundrobin,"
                + " source, uri, url_param)"), out);
    }

    @Test
    void anInjectedSampleLibraryCompilesAFetchThatServesInARunningProxy() throws Exception {
        Path plugins = pluginsWith("http", "balancer-roundrobin", "pool");
        PluginJarBuilder.plugin("probe", "1.0.0").manifest("Plugin-Requires", ">=1.0.0")
                .source("com.example.probe.Probe", """
                        package com.example.probe;

                        import io.luagate.spi.extension.Extension;
                        import io.luagate.spi.extension.ExtensionContext;
                        import io.luagate.spi.extension.ExtensionRuntime;
                        import io.luagate.spi.sample.Fetch;
                        import io.luagate.spi.sample.SampleLibrary;
                        import java.util.List;

                        @org.pf4j.Extension
                        public final class Probe implements Extension {
                            private final Fetch path;

                            @jakarta.inject.Inject
                            public Probe(SampleLibrary samples) {
                                this.path = samples.fetch("path", List.of());
                            }

                            public String configSection() { return null; }

                            public void configure(ExtensionContext context) {
                                context.vocabulary().fetch("probe.path", args -> path);
                            }

                            public void start(ExtensionRuntime runtime) { }

                            public void stop() { }
                        }
                        """)
                .build(plugins, "probe-1.0.0.jar");
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"], default-backend = be
                       http-request = [ "deny if { probe.path -m str /blocked }" ]
                     }
                     backends.be { servers { s = "%s" } }
                     """.formatted(up.address()), work);
             TestClient client = new TestClient(proxy.port("fe"))) {
            assertEquals(403, client.get("/blocked").status());
            assertEquals(200, client.get("/open").status());
        }
    }
}
