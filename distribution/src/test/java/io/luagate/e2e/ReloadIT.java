package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.WebSocketEchoServer;
import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.LiveObjects;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.spi.extension.ReloadResult;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Hot reload: a new generation of the configuration takes every new stream while nothing in
 * flight is dropped. Real upstreams, a real WebSocket echo server, keep-alive clients under load.
 */
class ReloadIT {

    /** A TCP echo server: what a tunnel through a {@code mode = tcp} frontend reaches. */
    private static int tcpEcho(EventLoopGroup group) throws InterruptedException {
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.writeAndFlush(msg);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** A script whose answers name its version, and the version its register_init saw. */
    private static String script(String version) {
        return """
                local version = "%s"
                local inited = "none"
                core.register_init(function() inited = version end)
                core.register_service("hello", "http", function(applet)
                  local body = "lua " .. version .. " init " .. inited
                  applet:set_status(200)
                  applet:add_header("content-length", #body)
                  applet:start_response()
                  applet:send(body)
                end)
                """.formatted(version);
    }

    /**
     * Round {@code round}'s configuration: even rounds send the default traffic to backend blue
     * (servers a, b), odd ones to backend green (servers a, c), and open frontend extra; frontend
     * tunnel (mode tcp) reaches the echo server at {@code echoPort}.
     */
    private static String config(int round, Path lua, TestUpstream a, TestUpstream b, TestUpstream c, int wsPort,
                                 int extraPort, int threads, int echoPort) {
        boolean odd = round % 2 == 1;
        String backend = odd ? "green { servers { a = \"%s\", c = \"%s\" } }".formatted(a.address(), c.address())
                : "blue { servers { a = \"%s\", b = \"%s\" } }".formatted(a.address(), b.address());
        String extra = odd ? "extra { bind = [\"127.0.0.1:%d\"], default-backend = green }".formatted(extraPort) : "";
        return """
                log.target = none
                global.threads = %d
                lua.load = [ "%s" ]
                frontends {
                  fe {
                    bind = ["127.0.0.1:0"]
                    http-request = [ "use-service lua.hello if { path_beg /lua }" ]
                    use-backend = [ "ws if { path_beg /ws }" ]
                    default-backend = %s
                  }
                  %s
                  tunnel { bind = ["127.0.0.1:0"], mode = tcp, default-backend = echo }
                }
                backends {
                  ws { timeout.tunnel = 120s, servers { s = "127.0.0.1:%d" } }
                  echo { mode = tcp, servers { s = "127.0.0.1:%d" } }
                  %s
                }
                """.formatted(threads, lua, odd ? "green" : "blue", extra, wsPort, echoPort, backend);
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Keep-alive clients sending requests back to back; every failure is kept with its reason. */
    private static final class Load implements AutoCloseable {
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Load(int clients, int port) {
            for (int i = 0; i < clients; i++) {
                int client = i;
                threads.add(Thread.ofPlatform().name("load-" + i).start(() -> run(client, port)));
            }
        }

        private void run(int client, int port) {
            TestClient connection = null;
            int n = 0;
            try {
                while (running.get()) {
                    if (connection == null) {
                        connection = new TestClient(port);
                        connections.incrementAndGet();
                    }
                    String path = n++ % 3 == 0 ? "/lua/" + client : "/app/" + client + "/" + n;
                    Http.Message response = connection.get(path);
                    requests.incrementAndGet();
                    if (response == null) {
                        failures.add(path + ": connection closed by the proxy");
                        connection.close();
                        connection = null;
                        continue;
                    }
                    String body = response.bodyText();
                    boolean ok = response.status() == 200 && (path.startsWith("/lua")
                            ? body.startsWith("lua v") : body.matches("[abc] /app/.*"));
                    if (!ok) {
                        failures.add(path + ": " + response.status() + " " + body);
                    }
                    if ("close".equalsIgnoreCase(response.header("connection"))) {
                        failures.add(path + ": the proxy closed a keep-alive connection");
                        connection.close();
                        connection = null;
                    }
                }
            } catch (IOException e) {
                failures.add("client " + client + ": " + e);
            } finally {
                if (connection != null) {
                    try {
                        connection.close();
                    } catch (IOException e) {
                        failures.add("client " + client + " close: " + e);
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(20_000);
            }
        }
    }

    private static String get(int port, String path) throws IOException {
        try (TestClient client = new TestClient(port)) {
            Http.Message response = client.get(path);
            assertNotNull(response, path);
            assertEquals(200, response.status(), path + ": " + response.bodyText());
            return response.bodyText();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Twenty reloads under load (a changed script each time, backend blue removed and green added
     * in turn, frontend extra opened and closed, one refused configuration among them): no request
     * fails, no keep-alive connection is closed, the WebSocket keeps echoing, and once the clients
     * are gone every old generation is retired.
     */
    @Test
    void twentyReloadsUnderLoadDropNothing() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Path lua = Files.createTempFile("reload", ".lua");
        int extraPort = DistributionProcess.freePort();
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream b = TestUpstream.named("b");
             TestUpstream c = TestUpstream.named("c")) {
            int wsPort = ((InetSocketAddress) WebSocketEchoServer.start(group).localAddress()).getPort();
            int echoPort = tcpEcho(group);
            Files.writeString(lua, script("v0"));
            try (InProcessProxy proxy = InProcessProxy.start(config(0, lua, a, b, c, wsPort, extraPort, 2, echoPort));
                 Socket tunnel = new Socket()) {
                int port = proxy.port("fe");
                assertEquals("lua v0 init v0", get(port, "/lua"));
                tunnel.connect(new InetSocketAddress("127.0.0.1", proxy.port("tunnel")), 2000);
                tunnel.setSoTimeout(5000);
                BufferedReader tunnelIn = new BufferedReader(new InputStreamReader(tunnel.getInputStream(), StandardCharsets.UTF_8));
                tunnel.getOutputStream().write("tcp 0\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("tcp 0", tunnelIn.readLine());
                BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
                WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                echoes.add(data.toString());
                                webSocket.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                socket.sendText("before", true).get(5, TimeUnit.SECONDS);
                assertEquals("echo: before", echoes.poll(5, TimeUnit.SECONDS));

                Load load = new Load(4, port);
                TestClient kept = new TestClient(port);
                assertEquals("lua v0 init v0", kept.get("/lua").bodyText());
                try {
                    await(() -> load.requests.get() > 50, Duration.ofSeconds(20), "the load is running");
                    for (int round = 1; round <= 20; round++) {
                        long before = load.requests.get();
                        Files.writeString(lua, script("v" + round));
                        Files.writeString(proxy.configFile(), config(round, lua, a, b, c, wsPort, extraPort, 2, echoPort));
                        ReloadResult result = proxy.luagate().reload();
                        assertTrue(result.success(), "round " + round + ": " + result.problems());
                        assertEquals(round + 1, result.generation());
                        assertEquals(port, proxy.port("fe"), "the kept bind keeps its socket");
                        // A new connection is served by the new generation at once: new script, init run again.
                        assertEquals("lua v" + round + " init v" + round, get(port, "/lua"));
                        // A keep-alive connection of an older generation moves at its next request.
                        assertEquals("lua v" + round + " init v" + round, kept.get("/lua").bodyText());
                        String served = get(port, "/app/check");
                        assertTrue(served.matches(round % 2 == 1 ? "[ac] /app/check" : "[ab] /app/check"), served);
                        assertEquals(round % 2 == 1, accepts(extraPort), "frontend extra in round " + round);
                        socket.sendText("round " + round, true).get(5, TimeUnit.SECONDS);
                        assertEquals("echo: round " + round, echoes.poll(5, TimeUnit.SECONDS));
                        tunnel.getOutputStream().write(("tcp " + round + "\n").getBytes(StandardCharsets.UTF_8));
                        assertEquals("tcp " + round, tunnelIn.readLine(), "the TCP tunnel is not cut");
                        await(() -> load.requests.get() > before + 20, Duration.ofSeconds(20), "load after round " + round);
                        if (round == 10) {
                            // A broken script: refused, named, and nothing changes.
                            Files.writeString(lua, "core.register_service(\"hello\", \"http\", function(applet)\n");
                            ReloadResult refused = proxy.luagate().reload();
                            assertFalse(refused.success());
                            assertEquals(11, refused.generation());
                            assertTrue(refused.problems().stream().anyMatch(p -> p.contains(lua.getFileName().toString())),
                                    refused.problems().toString());
                            assertEquals("lua v10 init v10", get(port, "/lua"));
                            // What belongs to the process is refused too, naming the key.
                            Files.writeString(lua, script("v10"));
                            Files.writeString(proxy.configFile(), config(round, lua, a, b, c, wsPort, extraPort, 3, echoPort));
                            ReloadResult threads = proxy.luagate().reload();
                            assertFalse(threads.success());
                            assertTrue(threads.problems().stream().anyMatch(p -> p.contains("global.threads")),
                                    threads.problems().toString());
                            assertEquals(11, proxy.luagate().generation());
                            // A new bind that cannot be bound: refused after the checks, and what it opened closes.
                            try (java.net.ServerSocket squatter = new java.net.ServerSocket(0, 1,
                                    java.net.InetAddress.getLoopbackAddress())) {
                                Files.writeString(proxy.configFile(), config(round, lua, a, b, c, wsPort, extraPort, 2, echoPort)
                                        .replace("frontends {", "frontends {\n  squatted { bind = [\"127.0.0.1:"
                                                + squatter.getLocalPort() + "\"], default-backend = ws }"));
                                ReloadResult unbound = proxy.luagate().reload();
                                assertFalse(unbound.success());
                                assertTrue(unbound.problems().stream().anyMatch(p -> p.contains("cannot listen")),
                                        unbound.problems().toString());
                                assertEquals(11, proxy.luagate().generation());
                                assertEquals("lua v10 init v10", get(port, "/lua"), "generation 11 serves on");
                            }
                            Files.writeString(proxy.configFile(), config(round, lua, a, b, c, wsPort, extraPort, 2, echoPort));
                        }
                    }
                } finally {
                    load.close();
                    kept.close();
                }
                assertEquals(List.of(), List.copyOf(load.failures), "failed requests");
                assertEquals(4, load.connections.get(), "every client kept its one keep-alive connection");
                assertTrue(load.requests.get() > 500, "requests served: " + load.requests.get());
                socket.sendText("after", true).get(5, TimeUnit.SECONDS);
                assertEquals("echo: after", echoes.poll(5, TimeUnit.SECONDS));
                // The WebSocket and the tunnel still hold the first generation; every other old one is freed.
                await(() -> proxy.luagate().liveGenerations() == 2, Duration.ofSeconds(20),
                        "only the current generation and the WebSocket's are live (" + proxy.luagate().liveGenerations() + ")");
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
                tunnel.close();
                await(() -> proxy.luagate().liveGenerations() == 1, Duration.ofSeconds(20), "the WebSocket's generation retired");
                // A generation leaves the live ones first and is counted retired after its pools closed on every loop.
                await(() -> proxy.luagate().retiredGenerations() == 20, Duration.ofSeconds(20),
                        "20 generations retired");
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            Files.deleteIfExists(lua);
        }
    }

    /**
     * A hundred reloads, a keep-alive client following each: every replaced generation is retired
     * and freed (its frontends, its Lua states, the generation itself are gone from the heap after
     * a full collection), and the heap does not grow with the reloads.
     */
    @Test
    void aHundredReloadsFreeTheOldGenerations() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Path lua = Files.createTempFile("reload", ".lua");
        int extraPort = DistributionProcess.freePort();
        try (TestUpstream a = TestUpstream.named("a"); TestUpstream b = TestUpstream.named("b");
             TestUpstream c = TestUpstream.named("c")) {
            int wsPort = ((InetSocketAddress) WebSocketEchoServer.start(group).localAddress()).getPort();
            int echoPort = tcpEcho(group);
            Files.writeString(lua, script("v0"));
            LiveObjects empty = LiveObjects.now();
            try (InProcessProxy proxy = InProcessProxy.start(config(0, lua, a, b, c, wsPort, extraPort, 2, echoPort))) {
                int port = proxy.port("fe");
                LiveObjects first;
                try (TestClient client = new TestClient(port)) {
                    assertEquals("lua v0 init v0", client.get("/lua").bodyText());
                    // Warm: the first reload's classes are loaded before the baseline is taken.
                    for (int round = 1; round <= 4; round++) {
                        Files.writeString(lua, script("v" + round));
                        Files.writeString(proxy.configFile(), config(round, lua, a, b, c, wsPort, extraPort, 2, echoPort));
                        assertTrue(proxy.luagate().reload().success());
                        assertEquals("lua v" + round + " init v" + round, client.get("/lua").bodyText());
                    }
                    await(() -> proxy.luagate().liveGenerations() == 1, Duration.ofSeconds(20), "warm-up generations retired");
                    first = LiveObjects.now();
                    for (int round = 5; round <= 104; round++) {
                        Files.writeString(lua, script("v" + round));
                        Files.writeString(proxy.configFile(), config(round, lua, a, b, c, wsPort, extraPort, 2, echoPort));
                        ReloadResult result = proxy.luagate().reload();
                        assertTrue(result.success(), "round " + round + ": " + result.problems());
                        assertEquals("lua v" + round + " init v" + round, client.get("/lua").bodyText());
                        assertTrue(client.get("/app/x").bodyText().matches("[abc] /app/x"));
                    }
                }
                // A generation leaves the live set before its pools are closed and it is counted as
                // retired (on the reload thread): wait for both.
                await(() -> proxy.luagate().liveGenerations() == 1 && proxy.luagate().retiredGenerations() >= 104,
                        Duration.ofSeconds(30), "old generations retired (" + proxy.luagate().liveGenerations() + " live)");
                assertEquals(104, proxy.luagate().retiredGenerations());
                LiveObjects after = LiveObjects.now();
                for (String type : List.of("io.luagate.kernel.Generation", "io.luagate.kernel.proxy.DefaultFrontend",
                        "io.luagate.kernel.proxy.DefaultBackend", "io.luagate.plugin.lua.engine.LuaEngine",
                        "io.luagate.plugin.lua.engine.LuaState")) {
                    long baseline = first.count(type) - empty.count(type);
                    long now = after.count(type) - empty.count(type);
                    assertTrue(baseline > 0, type + " is live while luagate runs (else this check checks nothing)");
                    assertTrue(now <= baseline, type + ": " + now + " live after 100 reloads, " + baseline + " before");
                }
                long grown = after.bytes() - first.bytes();
                assertTrue(grown < 16L * 1024 * 1024, "the heap grew by " + grown + " bytes over 100 reloads: "
                        + after.bytesGrownSince(first, 256 * 1024));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            Files.deleteIfExists(lua);
        }
    }

    /**
     * The real {@code bin/luagate}: SIGHUP reloads a changed script and logs it; a broken one is
     * refused, logged with its problem, and the old script serves on; {@code luagate reload} on a
     * configuration without {@code stats.socket} exits 2 and says what it needs.
     */
    @Test
    void sighupReloadsTheRunningProcess() throws Exception {
        Path dir = Files.createTempDirectory("luagate-reload");
        Path lua = dir.resolve("hello.lua");
        Path conf = dir.resolve("luagate.conf");
        int port = DistributionProcess.freePort();
        Files.writeString(lua, script("v1"));
        Files.writeString(conf, """
                log.target = none
                global.threads = 1
                lua.load = [ "%s" ]
                frontends.fe {
                  bind = ["127.0.0.1:%d"]
                  http-request = [ "use-service lua.hello" ]
                }
                """.formatted(lua, port));
        Path home = InProcessProxy.distribution();
        try (DistributionProcess luagate = DistributionProcess.start(home, java.util.Map.of(), "run", "-c", conf.toString())) {
            luagate.awaitListening(port, Duration.ofSeconds(60));
            assertEquals("lua v1 init v1", get(port, "/"));
            try (TestClient keptAlive = new TestClient(port)) {
                assertEquals("lua v1 init v1", keptAlive.get("/").bodyText());
                Files.writeString(lua, script("v2"));
                hup(luagate);
                await(() -> luagate.output().contains("reloaded: generation 2"), Duration.ofSeconds(30),
                        "the reload is logged:\n" + luagate.output());
                assertEquals("lua v2 init v2", get(port, "/"));
                assertEquals("lua v2 init v2", keptAlive.get("/").bodyText(), "the keep-alive connection follows");

                Files.writeString(lua, "core.register_service(\"hello\", \"http\", function(applet)\n");
                hup(luagate);
                await(() -> luagate.output().contains("reload refused"), Duration.ofSeconds(30),
                        "the refusal is logged:\n" + luagate.output());
                // The problems follow the refusal's line, and the process's output is read as it comes.
                await(() -> luagate.output().contains("hello.lua"), Duration.ofSeconds(10),
                        "the problem names the script:\n" + luagate.output());
                assertEquals("lua v2 init v2", keptAlive.get("/").bodyText(), "the running generation serves on");
                assertEquals("lua v2 init v2", get(port, "/"));
            }
            DistributionProcess reload = DistributionProcess.run(home, "reload", "-c", conf.toString());
            assertEquals(2, reload.exitValue(), reload.output());
            assertTrue(reload.output().contains("stats.socket"), reload.output());
            assertEquals(0, luagate.terminate(Duration.ofSeconds(30)), luagate.output());
        }
    }

    /**
     * The signal handlers are in place before the process starts listening: a SIGHUP sent while
     * the scripts are still loading (here, one that takes 3 s) neither kills the process (the
     * JVM's default for SIGHUP) nor is lost: the reload runs once the start is over.
     */
    @Test
    void aSighupDuringStartReloadsOnceStarted() throws Exception {
        Path dir = Files.createTempDirectory("luagate-reload");
        Path lua = dir.resolve("hello.lua");
        Path conf = dir.resolve("luagate.conf");
        int port = DistributionProcess.freePort();
        String slowStart = """
                core.Info("loading slowly")
                local deadline = core.now().sec + 3
                while core.now().sec < deadline do end
                """;
        Files.writeString(lua, slowStart + script("v1"));
        Files.writeString(conf, """
                log.target = none
                global.threads = 1
                lua.load = [ "%s" ]
                lua.burst-timeout = 10s
                frontends.fe {
                  bind = ["127.0.0.1:%d"]
                  http-request = [ "use-service lua.hello" ]
                }
                """.formatted(lua, port));
        Path home = InProcessProxy.distribution();
        try (DistributionProcess luagate = DistributionProcess.start(home, java.util.Map.of(), "run", "-c", conf.toString())) {
            await(() -> luagate.output().contains("loading slowly"), Duration.ofSeconds(60),
                    "the script starts loading:\n" + luagate.output());
            Files.writeString(lua, script("v2"));
            hup(luagate);
            luagate.awaitListening(port, Duration.ofSeconds(60));
            await(() -> luagate.output().contains("reloaded: generation 2"), Duration.ofSeconds(30),
                    "the reload asked for during the start runs after it:\n" + luagate.output());
            assertEquals("lua v2 init v2", get(port, "/"));
            assertTrue(luagate.process().isAlive(), luagate.output());
            assertEquals(0, luagate.terminate(Duration.ofSeconds(30)), luagate.output());
        }
    }

    /**
     * The real {@code bin/luagate reload}, through the runtime API socket of the running process
     * ({@code stats.socket}): a changed script is reloaded (exit 0, {@code Success=1}); a broken
     * one is refused (exit 1, the problem printed) and the old script serves on.
     */
    @Test
    void luagateReloadTalksToTheRunningProcessThroughItsStatsSocket() throws Exception {
        Path dir = Files.createTempDirectory("luagate-reload");
        Path lua = dir.resolve("hello.lua");
        Path conf = dir.resolve("luagate.conf");
        Path socket = dir.resolve("luagate.sock");
        int port = DistributionProcess.freePort();
        Files.writeString(lua, script("v1"));
        Files.writeString(conf, """
                log.target = none
                global.threads = 1
                stats { socket = "%s", level = admin }
                lua.load = [ "%s" ]
                frontends.fe {
                  bind = ["127.0.0.1:%d"]
                  http-request = [ "use-service lua.hello" ]
                }
                """.formatted(socket, lua, port));
        Path home = InProcessProxy.distribution();
        try (DistributionProcess luagate = DistributionProcess.start(home, java.util.Map.of(), "run", "-c", conf.toString())) {
            luagate.awaitListening(port, Duration.ofSeconds(60));
            assertEquals("lua v1 init v1", get(port, "/"));
            Files.writeString(lua, script("v2"));
            DistributionProcess reloaded = DistributionProcess.run(home, "reload", "-c", conf.toString());
            assertEquals(0, reloaded.exitValue(), reloaded.output() + "\n" + luagate.output());
            assertTrue(reloaded.output().contains("Success=1"), reloaded.output());
            assertEquals("lua v2 init v2", get(port, "/"));

            Files.writeString(lua, "core.register_service(\"hello\", \"http\", function(applet)\n");
            DistributionProcess refused = DistributionProcess.run(home, "reload", "-c", conf.toString());
            assertEquals(1, refused.exitValue(), refused.output());
            assertTrue(refused.output().contains("Success=0"), refused.output());
            assertTrue(refused.output().contains("hello.lua:2: 'end' expected"), refused.output());
            assertEquals("lua v2 init v2", get(port, "/"));
            assertEquals(0, luagate.terminate(Duration.ofSeconds(30)), luagate.output());
        }
    }

    private static void hup(DistributionProcess process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.process().pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}
