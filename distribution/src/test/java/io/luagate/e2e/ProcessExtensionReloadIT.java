package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.kernel.testing.PluginJarBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An extension that lives for the process (as the runtime and admin APIs do), serving on a socket
 * of its own: it asks for a reload and gets the answer although every per-generation part was
 * replaced meanwhile; it is started once whatever the reloads; it sees the current generation's
 * backends and changes the current generation's maps; and a reload that changes its section is
 * refused.
 */
class ProcessExtensionReloadIT {

    @TempDir
    Path work;

    /** A line protocol on a loopback port: reload, generation, starts, backends, setmap FILE KEY VALUE. */
    private static final String CONTROL = """
            package com.example.control;

            import io.luagate.spi.extension.Extension;
            import io.luagate.spi.extension.ExtensionContext;
            import io.luagate.spi.extension.ExtensionRuntime;
            import io.luagate.spi.extension.ReloadResult;
            import io.luagate.spi.pattern.PatternFiles;
            import java.io.BufferedReader;
            import java.io.InputStreamReader;
            import java.io.PrintWriter;
            import java.net.InetAddress;
            import java.net.ServerSocket;
            import java.net.Socket;
            import java.nio.charset.StandardCharsets;
            import java.util.concurrent.atomic.AtomicInteger;

            @org.pf4j.Extension
            public final class Control implements Extension {
                private static final AtomicInteger STARTS = new AtomicInteger();
                private int port;
                private PatternFiles patterns;
                private volatile ServerSocket server;

                public String configSection() { return "control"; }

                public boolean livesForProcess() { return true; }

                public void configure(ExtensionContext context) {
                    port = context.config().integer("port", 1, 65535);
                    patterns = context.patterns();
                }

                public void start(ExtensionRuntime runtime) {
                    STARTS.incrementAndGet();
                    try {
                        server = new ServerSocket(port, 10, InetAddress.getLoopbackAddress());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    Thread.ofPlatform().daemon().name("control").start(() -> {
                        while (!server.isClosed()) {
                            try (Socket socket = server.accept()) {
                                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                                PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
                                String[] words = in.readLine().split(" ");
                                switch (words[0]) {
                                    case "reload" -> {
                                        ReloadResult result = runtime.reload();
                                        out.println("Success=" + (result.success() ? 1 : 0) + " generation=" + result.generation());
                                        result.problems().forEach(out::println);
                                    }
                                    case "generation" -> out.println(runtime.generation());
                                    case "starts" -> out.println(STARTS.get());
                                    case "backends" -> out.println(String.join(",", runtime.backends().keySet()));
                                    case "setmap" -> {
                                        patterns.setMap(words[1], words[2], words[3]);
                                        out.println("done");
                                    }
                                    default -> out.println("unknown");
                                }
                            } catch (Exception e) {
                                if (!server.isClosed()) {
                                    e.printStackTrace();
                                }
                            }
                        }
                    });
                }

                public void stop() {
                    try {
                        if (server != null) {
                            server.close();
                        }
                    } catch (java.io.IOException e) {
                        // closing
                    }
                }
            }
            """;

    private Path pluginsWith(String... ids) throws IOException {
        Path dist = InProcessProxy.distribution();
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

    private static String ask(int port, String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(30_000);
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println(command);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                answer.append(line).append('\n');
            }
            return answer.toString().strip();
        }
    }

    private static String config(int controlPort, String backend, String upstream) {
        return """
                log.target = none
                control { port = %d }
                frontends.fe {
                  bind = ["127.0.0.1:0"], default-backend = %s
                  http-request = [ "set-header X-Map %%[path,map(maps/m.map,none)]" ]
                }
                backends.%s { servers { s = "%s" } }
                """.formatted(controlPort, backend, backend, upstream);
    }

    private static String mapped(TestUpstream up, int port, String path) throws IOException {
        try (TestClient client = new TestClient(port)) {
            Http.Message response = client.get(path);
            assertEquals(200, response.status());
        }
        List<Http.Message> requests = up.connections().getLast().requests;
        return requests.getLast().header("x-map");
    }

    @Test
    void aProcessLivedExtensionReloadsAndSeesTheCurrentGeneration() throws Exception {
        PluginJarBuilder.plugin("control", "1.0.0").manifest("Plugin-Requires", ">=1.0.0")
                .source("com.example.control.Control", CONTROL).build(pluginsWith("http", "balancer-roundrobin", "pool", "lua"),
                        "control-1.0.0.jar");
        Files.createDirectories(work.resolve("maps"));
        Files.writeString(work.resolve("maps/m.map"), "/x xray\n");
        int control = DistributionProcess.freePort();
        try (TestUpstream up = TestUpstream.named("up");
             InProcessProxy proxy = InProcessProxy.start(config(control, "be", up.address()), work)) {
            int port = proxy.port("fe");
            assertEquals("1", ask(control, "generation"));
            assertEquals("1", ask(control, "starts"));
            assertEquals("xray", mapped(up, port, "/x"));
            assertEquals("done", ask(control, "setmap maps/m.map /a alpha"));
            assertEquals("alpha", mapped(up, port, "/a"));

            // Its own reload: the answer reaches it; the generation it asked for serves.
            Files.writeString(proxy.configFile(), config(control, "be2", up.address()));
            assertEquals("Success=1 generation=2", ask(control, "reload"));
            assertEquals("2", ask(control, "generation"));
            assertEquals("1", ask(control, "starts"), "started once for the process");
            assertEquals("be2", ask(control, "backends"), "the current generation's backends");
            // The map file was read again by the new generation; changes go to the maps its rules use.
            assertEquals("none", mapped(up, port, "/a"));
            assertEquals("done", ask(control, "setmap maps/m.map /b beta"));
            assertEquals("beta", mapped(up, port, "/b"));

            // Its section belongs to the process: a change is refused, naming it.
            Files.writeString(proxy.configFile(), config(control + 1, "be2", up.address()));
            String refused = ask(control, "reload");
            assertTrue(refused.startsWith("Success=0 generation=2"), refused);
            assertTrue(refused.contains("control: cannot change by a reload"), refused);
            assertEquals("2", ask(control, "generation"));
        }
    }
}
