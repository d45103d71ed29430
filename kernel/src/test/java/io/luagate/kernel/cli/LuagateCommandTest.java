package io.luagate.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.testing.PluginJarBuilder;
import io.luagate.spi.SpiLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands through picocli, as bin/luagate runs them: what they print and their exit status. */
class LuagateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new LuagateCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private Path balancerJar(Path plugins, String id, String algorithm) {
        return PluginJarBuilder.plugin(id, "1.0.0").manifest("Plugin-Provider", "Outside Inc.")
                .manifest("Plugin-Description", "Picks the first server").manifest("Plugin-Requires", ">=1.0.0")
                .source("com.example." + algorithm + ".First", """
                        package com.example.%1$s;
                        @org.pf4j.Extension
                        public final class First implements io.luagate.spi.balancer.BalancerFactory {
                            public String algorithm() { return "%1$s"; }
                            public io.luagate.spi.balancer.Balancer create(
                                    java.util.List<? extends io.luagate.spi.proxy.Server> servers) {
                                return avoid -> servers.get(0);
                            }
                        }
                        """.formatted(algorithm))
                .build(plugins, id + "-1.0.0.jar");
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().startsWith("luagate: a command is missing"), err.toString());
        assertTrue(err.toString().contains("Usage: luagate"), err.toString());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, run("plugins", "--colour"));
        assertTrue(err.toString().contains("Unknown option: '--colour'"), err.toString());
    }

    @Test
    void pluginsOfAMissingDirectoryIsAUsageError() {
        assertEquals(2, run("plugins", "-d", "/missing"));
        assertEquals("luagate plugins: directory not found: /missing", err.toString().strip());
    }

    @Test
    void pluginsListsMetadataAndNamesAndExitsOneOnAJarThatDoesNotServe() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        balancerJar(plugins, "balancer-first", "first");
        PluginJarBuilder.library().source("com.example.lib.Util", "package com.example.lib; public class Util {}")
                .build(plugins, "util.jar");
        assertEquals(1, run("plugins", "-d", plugins.toString()));
        assertEquals("""
                plugins in %s (SPI level %s):

                balancer-first 1.0.0 (balancer-first-1.0.0.jar)
                  description: Picks the first server
                  provider:    Outside Inc.
                  requires:    SPI level >=1.0.0
                  balance first
                """.formatted(plugins, SpiLevel.current()), out.toString());
        assertEquals(List.of(plugins.resolve("util.jar") + ": not a plugin: its manifest has no Plugin-Id (a library? shade"
                + " it into the plugin jar that uses it; plugins/ holds plugin jars only)", "1 problem(s) in " + plugins),
                err.toString().lines().toList());
    }

    @Test
    void pluginsWithAConfigurationListsTheNamesItMakesThemRegister() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJarBuilder.plugin("probe", "1.0.0").source("com.example.probe.Probe", """
                package com.example.probe;
                import io.luagate.spi.extension.ExtensionContext;
                @org.pf4j.Extension
                public final class Probe implements io.luagate.spi.extension.Extension {
                    public String configSection() { return "probe"; }
                    public void configure(ExtensionContext context) {
                        if (context.config().has("fetch")) {
                            context.vocabulary().fetch(context.config().string("fetch"), args -> txn -> "x");
                        }
                    }
                    public void start(io.luagate.spi.extension.ExtensionRuntime runtime) { }
                    public void stop() { }
                }
                """).build(plugins, "probe.jar");
        Path file = Files.writeString(dir.resolve("luagate.conf"), """
                plugins.dir = "%s"
                probe.fetch = "probe.from-config"
                """.formatted(plugins));
        assertEquals(0, run("plugins", "-c", file.toString()), err.toString());
        assertTrue(out.toString().endsWith("  fetch probe.from-config\n  config section probe\n"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("plugins", "-d", plugins.toString()));
        assertTrue(out.toString().endsWith("  config section probe\n"), "without the configuration, no fetch: " + out);
        assertEquals(2, run("plugins", "-d", plugins.toString(), "-c", file.toString()));
    }

    @Test
    void checkReportsEveryStageInOneRun() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        balancerJar(plugins, "balancer-first", "first");
        Path file = Files.writeString(dir.resolve("luagate.conf"), """
                plugins.dir = "%s"
                global { threads = -1 }
                backends.be {
                  balance = random
                  http-request = [ "set-hedaer x y" ]
                  servers { s = "127.0.0.1:1" }
                }
                """.formatted(plugins));
        assertEquals(1, run("check", "-c", file.toString()));
        String report = err.toString();
        // A type error, a missing frontend, a missing balancer and a bad rule: all found in one run.
        assertTrue(report.contains(file + ":2: global.threads: -1 is out of range"), report);
        assertTrue(report.contains("frontends: no frontend is configured"), report);
        assertTrue(report.contains(file + ":3: backends.be.balance: no installed plugin provides balance 'random'"
                + " (installed: first)"), report);
        assertTrue(report.contains("backends.be.http-request: ") && report.contains("set-hedaer"), report);
    }

    @Test
    void versionVeryVerbosePrintsTheBuildLikeHaproxy() throws Exception {
        assertEquals(0, run("version", "-vv"));
        String text = out.toString();
        assertTrue(text.matches("(?s)luagate version \\S+ .*- commit \\S+\n.*"), text);
        assertTrue(text.contains("Running on: Java " + Runtime.version()), text);
        assertTrue(text.contains("SPI level : " + SpiLevel.current()), text);
        assertTrue(text.matches("(?s).*will use (epoll|nio)\\..*"), text);
    }
}
