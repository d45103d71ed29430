package io.luagate.plugin.lua.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.luagate.plugin.lua.engine.LuaCall;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/** {@code core.tcp()} against real servers on loopback, from a real engine on real event loops. */
class LuaSocketTest {

    private static final String SCRIPT = """
            core.register_fetches("patterns", function(port)
              local s = core.tcp()
              assert(s:connect("127.0.0.1", port) == 1)
              assert(s:send("line one\\r\\nline two\\nabcdefXYZ") == 28)
              local out = {}
              out[#out + 1] = s:receive()
              out[#out + 1] = s:receive("*l")
              out[#out + 1] = s:receive(3)
              out[#out + 1] = s:receive("3", "<")
              out[#out + 1] = s:receive(0)
              assert(s:send("0123456789", 3, 5) == 5)
              assert(s:send("0123456789", -2) == 10)
              assert(s:send("0123456789", 4, 2) == 0)
              out[#out + 1] = s:receive(8)
              s:close()
              local r, err = s:receive()
              out[#out + 1] = tostring(r) .. "/" .. err
              return table.concat(out, "|")
            end)
            core.register_fetches("all", function(port)
              local s = core.tcp()
              assert(s:connect("127.0.0.1:" .. port) == 1)
              local first = s:receive(5)
              local rest = s:receive("*a")
              local r, err, partial = s:receive("*l")
              return first .. "|" .. #rest .. "|" .. rest:sub(1, 3) .. "|" .. tostring(r) .. "/" .. err .. "/" .. partial
            end)
            core.register_fetches("partial", function(port, pattern)
              local s = core.tcp()
              assert(s:connect("ipv4@127.0.0.1", port) == 1)
              local r, err, partial = s:receive(tonumber(pattern) or pattern, "p:")
              return tostring(r) .. "/" .. tostring(err) .. "/" .. tostring(partial)
            end)
            core.register_fetches("timeout", function(port)
              local s = core.tcp()
              s:settimeout(0.2)
              assert(s:connect("127.0.0.1", port) == 1)
              local r, err, partial = s:receive("*l")
              -- The socket is still usable after a timeout (LuaSocket's rule).
              assert(s:send("go\\n"))
              s:settimeout(5)
              local line = s:receive()
              return tostring(r) .. "/" .. err .. "/" .. partial .. "/" .. line
            end)
            core.register_fetches("refused", function(port)
              local s = core.tcp()
              local r, err = s:connect("127.0.0.1", port)
              local sent, serr = s:send("x")
              return tostring(r) .. "/" .. err .. "/" .. tostring(sent) .. "/" .. serr
            end)
            core.register_fetches("names", function(port, host)
              local s = core.tcp()
              local before = tostring(s:getpeername())
              assert(s:connect(host, port) == 1)
              local peer, mine = s:getpeername(), s:getsockname()
              assert(s:send(mine .. "\\n"))
              local seen = s:receive()
              s:close()
              return before .. "|" .. peer .. "|" .. mine .. "|" .. seen .. "|" .. tostring(s:getpeername())
            end)
            core.register_fetches("leave_open", function(port)
              local s = core.tcp()
              assert(s:connect("127.0.0.1", port) == 1)
              assert(s:send("hello\\n"))
              return "left"
            end)
            core.register_fetches("bad_address", function(address)
              local ok, err = pcall(function() return core.tcp():connect(address) end)
              return tostring(ok) .. "|" .. err
            end)
            core.register_fetches("bad_args", function()
              local s = core.tcp()
              local out = {}
              for _, f in ipairs({
                function() return s:receive("*x") end,
                function() return s:receive(-1) end,
                function() return s:receive("*l", 5) end,
                function() return s:settimeout(-1) end,
                function() return s:connect("127.0.0.1", 70000) end,
                function() return s:send({}) end,
              }) do
                local ok, err = pcall(f)
                out[#out + 1] = err
              end
              return table.concat(out, "||")
            end)
            core.register_fetches("in_fetch", function()
              local ok, err = pcall(function() return core.tcp():connect("127.0.0.1", 1) end)
              return err
            end)
            local shared = nil
            core.register_fetches("keep", function(port)
              shared = core.tcp()
              assert(shared:connect("127.0.0.1", port) == 1)
              core.msleep(300)
              return "kept"
            end)
            core.register_fetches("use_kept", function()
              local ok, err = pcall(function() return shared:send("x") end)
              return err
            end)
            core.register_fetches("big", function(port, size)
              local s = core.tcp()
              assert(s:connect("127.0.0.1", port) == 1)
              local data = s:receive(tonumber(size))
              core.msleep(100)
              local rest = s:receive("*a")
              return #data .. "|" .. #rest
            end)
            core.register_fetches("tls", function(port)
              local s = core.tcp()
              assert(s:connect_ssl("127.0.0.1", port) == 1)
              assert(s:send("over tls\\n"))
              return s:receive()
            end)
            core.register_fetches("unix", function(path)
              local s = core.tcp()
              assert(s:connect("unix@" .. path) == 1)
              assert(s:send("via unix\\n"))
              return s:receive() .. "|" .. s:getpeername()
            end)
            core.register_fetches("idle_reader", function(port)
              local s = core.tcp()
              assert(s:connect("127.0.0.1", port) == 1)
              core.msleep(600)
              local head = s:receive(4)
              s:close()
              return head
            end)
            core.register_fetches("stuck_send", function(port)
              local s = core.tcp()
              assert(s:connect("127.0.0.1", port) == 1)
              s:settimeout(0.3)
              local data = string.rep("x", 32 * 1024 * 1024)
              local r, err, last = s:send(data)
              local again, err2 = s:send("y")
              return tostring(r) .. "/" .. err .. "/" .. tostring(last < #data) .. "/" .. tostring(again) .. "/" .. err2
            end)
            local function open_and_forget(port)
              local s = core.tcp()
              assert(s:connect("127.0.0.1", port) == 1)
              assert(s:send("forgotten\\n"))
            end
            core.register_fetches("abandon", function(port)
              open_and_forget(port)
              -- collectgarbage() is a no-op in luagate's sandbox: the test collects from Java meanwhile.
              for i = 1, 60 do
                core.msleep(50)
              end
              return "done"
            end)
            body_connect = select("#", core.tcp():connect("127.0.0.1", 9))
            core.register_fetches("body_connect", function() return tostring(body_connect) end)
            """;

    @TempDir
    Path home;

    private LuaNetHarness lua;

    private LuaNetHarness lua(int threads) throws Exception {
        lua = new LuaNetHarness(home, SCRIPT, threads, NioIoHandler.newFactory(), false);
        return lua;
    }

    @AfterEach
    void stop() throws Exception {
        if (lua != null) {
            lua.close();
        }
    }

    private static LoopbackServer echo() throws Exception {
        return LoopbackServer.start((socket, n) -> socket.getInputStream().transferTo(socket.getOutputStream()));
    }

    @Test
    void connectSendReceiveEveryPattern() throws Exception {
        try (LoopbackServer server = echo()) {
            String result = lua(1).value("patterns", LuaValue.valueOf(server.port()));
            assertEquals("line one|line two|abc|<def||XYZ23489|nil/closed", result);
        }
    }

    @Test
    void receiveAllReadsUntilThePeerCloses() throws Exception {
        byte[] payload = new byte[300_000];
        java.util.Arrays.fill(payload, (byte) 'z');
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> {
            OutputStream out = socket.getOutputStream();
            out.write("first".getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
        })) {
            assertEquals("first|300000|zzz|nil/closed/", lua(1).value("all", LuaValue.valueOf(server.port())));
        }
    }

    @Test
    void closedPeerGivesThePartialData() throws Exception {
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> {
            socket.getOutputStream().write("no newline".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        })) {
            lua(1);
            assertEquals("nil/closed/p:no newline", lua.value("partial", LuaValue.valueOf(server.port()), LuaValue.valueOf("*l")));
            assertEquals("nil/closed/p:no newline", lua.value("partial", LuaValue.valueOf(server.port()), LuaValue.valueOf("100")));
            assertEquals("p:no newline/nil/nil", lua.value("partial", LuaValue.valueOf(server.port()), LuaValue.valueOf("*a")));
        }
    }

    @Test
    void receiveTimesOutWithThePartialDataAndTheSocketGoesOn() throws Exception {
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> {
            OutputStream out = socket.getOutputStream();
            out.write("abc".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            while (in.read() != '\n') {
                // wait for the script's "go"
            }
            out.write("after\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.read();
        })) {
            long start = System.nanoTime();
            assertEquals("nil/timeout/abc/after", lua(1).value("timeout", LuaValue.valueOf(server.port())));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 190 && millis < 4000, "took " + millis + " ms");
        }
    }

    @Test
    void refusedConnectReturnsNilAndAMessage() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertEquals("nil/Can't connect/nil/closed", lua(1).value("refused", LuaValue.valueOf(port)));
    }

    @Test
    void peerAndLocalNamesAreOneString() throws Exception {
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> {
            String remote = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                line.append((char) c);
            }
            socket.getOutputStream().write((remote.equals(line.toString()) ? "same\n" : "differs " + remote + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            in.read();
        })) {
            String result = lua(1).value("names", LuaValue.valueOf(server.port()), LuaValue.valueOf("127.0.0.1"));
            String[] parts = result.split("\\|");
            assertEquals("nil", parts[0]);
            assertEquals("127.0.0.1:" + server.port(), parts[1]);
            assertTrue(parts[2].startsWith("127.0.0.1:"), parts[2]);
            assertEquals("same", parts[3]);
            assertEquals("nil", parts[4]);
        }
    }

    @Test
    void ipv6NamesAreBracketed() throws Exception {
        InetAddress v6;
        try {
            v6 = InetAddress.getByName("::1");
            new ServerSocket(0, 1, v6).close();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no IPv6 loopback here");
            return;
        }
        try (LoopbackServer server = LoopbackServer.start(v6, (socket, n) -> {
            InputStream in = socket.getInputStream();
            while (in.read() != '\n') {
                // the script's own name
            }
            socket.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
            in.read();
        })) {
            String result = lua(1).value("names", LuaValue.valueOf(server.port()), LuaValue.valueOf("::1"));
            String[] parts = result.split("\\|");
            assertEquals("[::1]:" + server.port(), parts[1]);
            assertTrue(parts[2].startsWith("[::1]:"), parts[2]);
        }
    }

    @Test
    void theCallThatConnectedClosesTheSocketWhenItEnds() throws Exception {
        CountDownLatch eof = new CountDownLatch(1);
        CompletableFuture<String> received = new CompletableFuture<>();
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> {
            received.complete(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            eof.countDown();
        })) {
            assertEquals("left", lua(1).value("leave_open", LuaValue.valueOf(server.port())));
            assertTrue(eof.await(5, TimeUnit.SECONDS), "the server saw no close");
            // The send went out before the close that ended the call, whatever runs the Lua stack.
            assertEquals("hello\n", received.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void namesAndOtherFamiliesAreRefusedWithoutDns() throws Exception {
        lua(1);
        String name = lua.value("bad_address", LuaValue.valueOf("localhost:80"));
        assertTrue(name.startsWith("false|") && name.contains("'localhost' is not an IP address")
                && name.contains("no DNS"), name);
        String noPort = lua.value("bad_address", LuaValue.valueOf("127.0.0.1"));
        assertTrue(noPort.contains("port missing"), noPort);
        String abns = lua.value("bad_address", LuaValue.valueOf("abns@x"));
        assertTrue(abns.contains("not supported"), abns);
        String family = lua.value("bad_address", LuaValue.valueOf("ipv6@127.0.0.1:80"));
        assertTrue(family.contains("not an IPv6 address"), family);
    }

    @Test
    void badArgumentsNameTheFunction() throws Exception {
        String[] errors = lua(1).value("bad_args").split("\\|\\|");
        // HAProxy's own messages (hlua_socket_receive).
        assertTrue(errors[0].endsWith("Unsupported pattern."), errors[0]);
        assertTrue(errors[1].endsWith("Unsupported size."), errors[1]);
        assertTrue(errors[2].endsWith("Expect a 'string' for the prefix"), errors[2]);
        assertTrue(errors[3].contains("settimeout: cannot set negatives values"), errors[3]);
        assertTrue(errors[4].contains("connect: port 70000 out of range"), errors[4]);
        assertTrue(errors[5].contains("bad argument #1 to 'send' (string expected, got table)"), errors[5]);
    }

    @Test
    void fetchesCannotConnectAndScriptBodiesDoNothing() throws Exception {
        lua(1);
        LuaCall.Outcome outcome = lua.runInline("in_fetch");
        assertEquals(null, outcome.error());
        String error = outcome.values().arg1().tojstring();
        assertTrue(error.contains("connect: only allowed in actions, services and tasks"), error);
        assertEquals("0", lua.value("body_connect"));
    }

    @Test
    void aSocketBelongsToTheLoopOfItsCall() throws Exception {
        try (LoopbackServer server = echo()) {
            lua(2);
            CompletableFuture<LuaCall.Outcome> keeper = CompletableFuture.supplyAsync(() -> {
                try {
                    return lua.run("keep", 0, LuaValue.valueOf(server.port()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(150);
            LuaCall.Outcome other = lua.run("use_kept", 1);
            assertTrue(other.values().arg1().tojstring().contains("cannot use socket on other thread"),
                    other.values().arg1().tojstring());
            assertEquals("kept", keeper.get(10, TimeUnit.SECONDS).values().arg1().tojstring());
        }
    }

    @Test
    void largeReadsPassTheBufferLimit() throws Exception {
        byte[] payload = new byte[1 << 20];
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> socket.getOutputStream().write(payload))) {
            // 200 000 bytes in one receive (over the 64 KiB held unread), then the rest after a pause.
            assertEquals("200000|848576", lua(1).value("big", LuaValue.valueOf(server.port()), LuaValue.valueOf("200000")));
        }
    }

    @Test
    void unreadBytesStopTheReadingUntilTheScriptReads() throws Exception {
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 1024; i++) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        })) {
            assertEquals("aaaa", lua(1).value("idle_reader", LuaValue.valueOf(server.port())));
            // Without backpressure the socket would have read all 64 MiB while the script slept;
            // with it, the server stalls once the socket holds 64 KiB and the kernel buffers are full.
            assertTrue(written.get() < 24L * 1024 * 1024, "the server wrote " + written.get() + " bytes");
        }
    }

    @Test
    void sendTimesOutWhenThePeerDoesNotReadAndClosesTheSocket() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> done.await(10, TimeUnit.SECONDS))) {
            assertEquals("nil/timeout/true/nil/closed", lua(1).value("stuck_send", LuaValue.valueOf(server.port())));
        } finally {
            done.countDown();
        }
    }

    @Test
    void aCollectedSocketIsClosedWhileItsCallGoesOn() throws Exception {
        CountDownLatch eof = new CountDownLatch(1);
        try (LoopbackServer server = LoopbackServer.start((socket, n) -> {
            socket.getInputStream().readAllBytes();
            eof.countDown();
        })) {
            lua(1);
            CompletableFuture<LuaCall.Outcome> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return lua.run("abandon", 0, LuaValue.valueOf(server.port()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) {
                System.gc();
                closed = eof.await(50, TimeUnit.MILLISECONDS);
            }
            assertTrue(closed, "the server saw no close");
            assertTrue(!call.isDone(), "the socket was closed by the end of its call, not by the collection");
            assertEquals("done", call.get(10, TimeUnit.SECONDS).values().arg1().tojstring());
        }
    }

    @Test
    void connectSslSpeaksTlsWithoutCheckingTheCertificate() throws Exception {
        SSLContext context = TestCertificates.selfSignedServerContext(home);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    InputStream in = socket.getInputStream();
                    StringBuilder line = new StringBuilder();
                    int c;
                    while ((c = in.read()) != '\n') {
                        line.append((char) c);
                    }
                    socket.getOutputStream().write(("echo " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    in.read();
                    return line.toString();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("echo over tls", lua(1).value("tls", LuaValue.valueOf(server.getLocalPort())));
            assertEquals("over tls", seen.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void unixSocketsOnNio() throws Exception {
        unixEcho(1);
    }

    @Test
    void unixAndTcpSocketsOnEpoll() throws Exception {
        assumeTrue(Epoll.isAvailable(), "no native epoll here");
        lua = new LuaNetHarness(home, SCRIPT, 1, EpollIoHandler.newFactory(), false);
        try (LoopbackServer server = echo()) {
            assertEquals("line one|line two|abc|<def||XYZ23489|nil/closed",
                    lua.value("patterns", LuaValue.valueOf(server.port())));
        }
        unixEcho(0);
    }

    /** An echo server on a Unix socket; {@code threads} > 0 makes a NIO harness first. */
    private void unixEcho(int threads) throws Exception {
        if (threads > 0) {
            lua(threads);
        }
        Path path = home.resolve("echo.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            CompletableFuture.runAsync(() -> {
                try (SocketChannel client = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocate(256);
                    while (client.read(buffer) >= 0) {
                        buffer.flip();
                        client.write(buffer);
                        buffer.clear();
                    }
                } catch (java.io.IOException e) {
                    // the script closed first
                }
            });
            assertEquals("via unix|" + path, lua.value("unix", LuaValue.valueOf(path.toString())));
        }
    }
}
