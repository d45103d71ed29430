package io.luagate.kernel.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.testing.PluginJarBuilder;
import io.luagate.spi.SpiLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real plugin jars, built by javac here, in a plugins directory: each one serves or is named with its reason. */
class PluginsTest {

    @TempDir
    Path home;

    private Path plugins() {
        return home.resolve("plugins");
    }

    private PluginInventory inventory() {
        return Luagate.inventory(ConfigLoader.withoutFile(plugins(), home), home);
    }

    private static String only(List<String> problems) {
        assertEquals(1, problems.size(), "one problem expected: " + problems);
        String problem = problems.get(0);
        assertFalse(problem.contains("\n"), "one line: " + problem);
        return problem;
    }

    private Path goodBalancer(String id, String version, String pkg, String algorithm, String file) {
        return PluginJarBuilder.plugin(id, version).manifest("Plugin-Provider", "Outside Inc.")
                .manifest("Plugin-Description", "A balancer for tests").manifest("Plugin-Requires", ">=1.0.0 & <2.0.0")
                .source(pkg + ".TestBalancer", TestPluginSources.balancer(pkg, algorithm)).build(plugins(), file);
    }

    @Test
    void aWellBuiltPluginListsItsMetadataAndWhatItProvides() {
        goodBalancer("balancer-first", "1.2.3", "com.example.first", "first", "first-1.2.3.jar");
        PluginInventory inventory = inventory();
        assertEquals(List.of(), inventory.problems());
        assertEquals(List.of(new PluginInfo("balancer-first", "1.2.3", "Outside Inc.", "A balancer for tests", ">=1.0.0 & <2.0.0",
                "first-1.2.3.jar", Map.of(ProvidedKind.BALANCE, List.of("first")))), inventory.plugins());
    }

    @Test
    void aLibraryJarNextToThePluginsIsNotAPlugin() {
        Path jar = PluginJarBuilder.library().source("com.example.lib.Util", "package com.example.lib; public class Util {}")
                .build(plugins(), "util-1.0.jar");
        String problem = only(inventory().problems());
        assertTrue(problem.startsWith(jar + ": not a plugin: its manifest has no Plugin-Id"), problem);
    }

    @Test
    void aManifestWithoutPluginIdIsNamed() {
        Path jar = PluginJarBuilder.plugin("x", "1.0.0").manifest("Plugin-Id", null)
                .source("com.example.noid.TestBalancer", TestPluginSources.balancer("com.example.noid", "noid"))
                .build(plugins(), "noid.jar");
        assertEquals(jar + ": no Plugin-Id in its manifest: set Plugin-Id (and Plugin-Version, Plugin-Requires)",
                only(inventory().problems()));
    }

    @Test
    void aJarBuiltWithoutTheAnnotationProcessorSaysHowToFixIt() {
        Path jar = PluginJarBuilder.plugin("balancer-noindex", "1.0.0").withoutIndex()
                .source("com.example.noindex.TestBalancer", TestPluginSources.balancer("com.example.noindex", "noindex"))
                .build(plugins(), "noindex.jar");
        String problem = only(inventory().problems());
        assertTrue(problem.startsWith(jar + ": plugin 'balancer-noindex' 1.0.0 (noindex.jar) has no extensions index"
                + " (META-INF/extensions.idx)"), problem);
        assertTrue(problem.contains("JDK 23+") && problem.contains("<annotationProcessorPaths>"), problem);
    }

    @Test
    void aPluginRequiringAnotherSpiLevelIsRefusedNamingBothLevels() {
        Path jar = goodBalancer("balancer-future", "3.0.0", "com.example.future", "future", "future.jar");
        PluginJarBuilder.plugin("balancer-future", "3.0.0").manifest("Plugin-Requires", ">=99.0.0")
                .source("com.example.future.TestBalancer", TestPluginSources.balancer("com.example.future", "future"))
                .build(plugins(), "future.jar");
        PluginInventory inventory = inventory();
        assertEquals(jar + ": plugin 'balancer-future' 3.0.0 (future.jar) requires SPI level '>=99.0.0'; this luagate"
                + " offers SPI level " + SpiLevel.current() + ": use a version of the plugin built for it",
                only(inventory.problems()));
        assertEquals(List.of(), inventory.plugins());
    }

    @Test
    void twoJarsOfOnePluginIdLoadNeitherAndNameBoth() {
        goodBalancer("balancer-twice", "1.0.0", "com.example.old", "twice", "twice-1.0.0.jar");
        goodBalancer("balancer-twice", "2.0.0", "com.example.fresh", "twice", "twice-2.0.0.jar");
        PluginInventory inventory = inventory();
        assertEquals(plugins() + ": plugin id 'balancer-twice' is in 2 jars: twice-1.0.0.jar (version 1.0.0) and"
                + " twice-2.0.0.jar (version 2.0.0); none of them is loaded: remove all but one", only(inventory.problems()));
        assertEquals(List.of(), inventory.plugins());
    }

    @Test
    void aPluginBuiltAgainstANewerSpiIsContainedAndNamedInOneLine() {
        goodBalancer("balancer-fine", "1.0.0", "com.example.fine", "fine", "fine.jar");
        Path jar = PluginJarBuilder.plugin("balancer-newer", "1.0.0").manifest("Plugin-Requires", ">=1.0.0")
                .source("io.luagate.spi.balancer.StreamAware", """
                        package io.luagate.spi.balancer;
                        public interface StreamAware { void streamStarted(); }
                        """)
                .source("com.example.newer.TestBalancer", """
                        package com.example.newer;
                        @org.pf4j.Extension
                        public final class TestBalancer implements io.luagate.spi.balancer.BalancerFactory,
                                io.luagate.spi.balancer.StreamAware {
                            public String algorithm() { return "newer"; }
                            public io.luagate.spi.balancer.Balancer create(
                                    java.util.List<? extends io.luagate.spi.proxy.Server> servers) { return null; }
                            public void streamStarted() { }
                        }
                        """)
                .omit("io.luagate.spi.balancer.StreamAware")
                .build(plugins(), "newer.jar");
        PluginInventory inventory = inventory();
        String problem = only(inventory.problems());
        assertTrue(problem.startsWith(jar + ": plugin 'balancer-newer' 1.0.0 is not loaded: extension"
                + " com.example.newer.TestBalancer cannot be made: class not found: io.luagate.spi.balancer.StreamAware"), problem);
        assertTrue(problem.endsWith("(built against another SPI level? it requires '>=1.0.0'; this luagate offers SPI level "
                + SpiLevel.current() + ")"), problem);
        assertEquals(List.of("balancer-fine"), inventory.plugins().stream().map(PluginInfo::id).toList(),
                "the other plugins still serve");
    }

    @Test
    void anExtensionWhoseConstructorThrowsIsContainedToItsPlugin() {
        Path jar = PluginJarBuilder.plugin("throwing", "1.0.0")
                .source("com.example.throwing.TestExtension", TestPluginSources.extension("com.example.throwing", "",
                        "throw new IllegalStateException(\"no licence key\");", ""))
                .build(plugins(), "throwing.jar");
        assertEquals(jar + ": plugin 'throwing' 1.0.0 is not loaded: extension com.example.throwing.TestExtension cannot"
                + " be made: IllegalStateException: no licence key", only(inventory().problems()));
    }

    @Test
    void aPluginClassThatFailsToStartIsNamed() {
        Path jar = PluginJarBuilder.plugin("boom", "1.0.0").manifest("Plugin-Class", "com.example.boom.BoomPlugin")
                .source("com.example.boom.BoomPlugin", """
                        package com.example.boom;
                        public final class BoomPlugin extends org.pf4j.Plugin {
                            @Override
                            public void start() {
                                throw new IllegalStateException("no licence key");
                            }
                        }
                        """)
                .source("com.example.boom.TestBalancer", TestPluginSources.balancer("com.example.boom", "boom"))
                .build(plugins(), "boom.jar");
        PluginInventory inventory = inventory();
        assertEquals(jar + ": plugin 'boom' 1.0.0 (boom.jar) did not start (FAILED: IllegalStateException: no licence key)",
                only(inventory.problems()));
        assertEquals(List.of(), inventory.plugins());
    }

    @Test
    void theSpiServicesAreInjectedForRealAndAreTheOnesTheContextGives() {
        PluginJarBuilder.plugin("injected", "1.0.0")
                .source("com.example.injected.TestExtension", TestPluginSources.extension("com.example.injected",
                        "SampleLibrary samples, PatternFiles patterns",
                        // Compiling a built-in fetch proves the library is the kernel's, not a stand-in.
                        "samples.fetch(\"str\", List.of(\"x\")); this.injected = List.of(samples, patterns);",
                        """
                        List<?> both = (List<?>) injected;
                        if (both.get(0) == context.samples() && both.get(1) == context.patterns()) {
                            context.vocabulary().fetch("injected.same", args -> txn -> "yes");
                        }
                        """))
                .build(plugins(), "injected.jar");
        PluginInventory inventory = inventory();
        assertEquals(List.of(), inventory.problems());
        assertEquals(Map.of(ProvidedKind.FETCH, List.of("injected.same")), inventory.plugins().get(0).provided());
    }

    @Test
    void injectingAKernelTypeIsRefusedNamingTheTypeAndTheInjectableList() {
        Path jar = PluginJarBuilder.plugin("nosy", "1.0.0")
                .source("com.example.nosy.TestExtension", TestPluginSources.extension("com.example.nosy",
                        "io.luagate.kernel.config.Settings settings", "", ""))
                .build(plugins(), "nosy.jar");
        assertEquals(jar + ": plugin 'nosy' 1.0.0 is not loaded: extension com.example.nosy.TestExtension asks for"
                + " io.luagate.kernel.config.Settings, which a plugin cannot inject (it may inject SampleLibrary,"
                + " PatternFiles and its own classes)", only(inventory().problems()));
    }

    @Test
    void twoPluginsProvidingOneBalanceAlgorithmAreBothNamed() {
        goodBalancer("balancer-a", "1.0.0", "com.example.a", "twin", "a.jar");
        Path second = goodBalancer("balancer-b", "1.0.0", "com.example.b", "twin", "b.jar");
        assertEquals(second + ": balance 'twin' is provided by two plugins: 'balancer-a' 1.0.0 (a.jar) and"
                + " 'balancer-b' 1.0.0 (b.jar); remove one of them", only(inventory().problems()));
    }

    @Test
    void twoPluginsReadingOneConfigSectionAreBothNamed() {
        PluginJarBuilder.plugin("reads-one", "1.0.0").source("com.example.r1.TestExtension",
                TestPluginSources.extension("com.example.r1", "shared", "", "", "")).build(plugins(), "r1.jar");
        Path second = PluginJarBuilder.plugin("reads-two", "2.0.0").source("com.example.r2.TestExtension",
                TestPluginSources.extension("com.example.r2", "shared", "", "", "")).build(plugins(), "r2.jar");
        assertEquals(second + ": config section 'shared' is provided by two plugins: 'reads-one' 1.0.0 (r1.jar) and"
                + " 'reads-two' 2.0.0 (r2.jar); remove one of them", only(inventory().problems()));
    }

    @Test
    void twoPluginsAddingOneActionAreBothNamedAndABuiltinNameIsTaken() {
        PluginJarBuilder.plugin("acts-one", "1.0.0")
                .source("com.example.one.TestExtension", TestPluginSources.action("com.example.one", "shared.act"))
                .build(plugins(), "one.jar");
        Path two = PluginJarBuilder.plugin("acts-two", "1.0.0")
                .source("com.example.two.TestExtension", TestPluginSources.action("com.example.two", "shared.act"))
                .build(plugins(), "two.jar");
        Path three = PluginJarBuilder.plugin("acts-three", "1.0.0")
                .source("com.example.three.TestExtension", TestPluginSources.action("com.example.three", "set-header"))
                .build(plugins(), "three.jar");
        List<String> problems = inventory().problems();
        assertEquals(List.of(
                three + ": action 'set-header' is provided by two plugins: the kernel (built in) and 'acts-three' 1.0.0"
                        + " (three.jar); remove one of them",
                two + ": action 'shared.act' is provided by two plugins: 'acts-one' 1.0.0 (one.jar) and 'acts-two' 1.0.0"
                        + " (two.jar); remove one of them"), problems);
    }

    @Test
    void checkAndRunReportThePluginProblemsWithTheConfigurationsOwn() throws Exception {
        PluginJarBuilder.library().source("com.example.lib.Util", "package com.example.lib; public class Util {}")
                .build(plugins(), "util.jar");
        Path file = java.nio.file.Files.writeString(home.resolve("luagate.conf"), """
                plugins.dir = "%s"
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { balance = random, servers { s = "127.0.0.1:1" } }
                """.formatted(plugins()));
        List<String> problems = Luagate.check(ConfigLoader.load(file, home), home).list().stream()
                .map(ConfigProblem::toString).toList();
        assertTrue(problems.contains(plugins().resolve("util.jar") + ": not a plugin: its manifest has no Plugin-Id (a"
                + " library? shade it into the plugin jar that uses it; plugins/ holds plugin jars only)"), problems.toString());
        assertTrue(problems.contains(file + ":3: backends.be.balance: no installed plugin provides balance 'random'"
                + " (none is installed in " + plugins() + ")"), problems.toString());
    }

    @Test
    void aSectionOfAShippedPluginNamesThePluginWhenItIsMissing() throws Exception {
        Path file = java.nio.file.Files.writeString(home.resolve("luagate.conf"), """
                plugins.dir = "%s"
                stats { socket = "/tmp/x.sock" }
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { servers { s = "127.0.0.1:1" } }
                """.formatted(plugins()));
        List<String> problems = Luagate.check(ConfigLoader.load(file, home), home).list().stream()
                .map(ConfigProblem::toString).toList();
        assertTrue(problems.contains(file + ":2: stats: needs the plugin 'runtime-api', which is not installed in " + plugins()),
                problems.toString());
    }
}
