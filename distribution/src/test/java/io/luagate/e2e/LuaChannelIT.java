package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.InProcessProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAProxy's Channel class and tcp-res actions through the real proxy, the real tcp and lua plugin
 * jars: a TCP frontend whose Lua reads and rewrites the client's first line, a backend whose Lua
 * rewrites the server's banner, and tcp-response rules that refuse a server's answer.
 */
class LuaChannelIT {

    @TempDir
    Path dir;

    /**
     * A line server: sends its banner, then answers each line it reads with "you said: <line>",
     * and reports each connection's first line to the test.
     */
    private static ServerSocket lineServer(String banner, BlockingQueue<String> firstLines) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(10_000);
                    OutputStream out = socket.getOutputStream();
                    out.write(banner.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    boolean first = true;
                    while ((line = in.readLine()) != null) {
                        if (first) {
                            firstLines.add(line);
                            first = false;
                        }
                        out.write(("you said: " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException e) {
                    // the proxy closed the connection
                }
            }
        }, "line-server");
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    private static Socket connect(InProcessProxy proxy) throws IOException {
        Socket socket = new Socket("127.0.0.1", proxy.port("fe"));
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            line.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return line.toString();
    }

    private static String readToEnd(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (java.net.SocketException e) {
            return "<reset>";
        }
    }

    @Test
    void luaReadsAndRewritesTheFirstBytesOfBothDirections() throws Exception {
        Path lua = Files.writeString(dir.resolve("greeter.lua"), """
                -- The client must start with "HELLO <name>": the server gets "hello <NAME>" instead.
                core.register_action("greet", { "tcp-req" }, function(txn)
                  local line = txn.req:line()            -- waits (inspect-delay) for the whole first line
                  if line == nil then return end
                  local name = line:match("^HELLO (%w+)")
                  if name == nil then
                    txn.res:send("proxy: say HELLO first\\n")
                    return act.DENY
                  end
                  txn:set_var("sess.name", name)
                  txn.res:send("proxy: hi " .. name .. "\\n")
                  txn.req:set("hello " .. name:upper() .. "\\n", 0, #line)
                end)

                -- The server's banner is tagged with the client's name before anything else passes.
                core.register_action("tag_banner", { "tcp-res" }, function(txn)
                  local banner = txn.res:line()          -- waits for the server's first line
                  if banner == nil then return end
                  local name = txn:get_var("sess.name") or "?"
                  txn.res:set("[" .. name .. "] " .. banner, 0, #banner)
                end)
                """);
        BlockingQueue<String> firstLines = new LinkedBlockingQueue<>();
        try (ServerSocket server = lineServer("220 welcome\n", firstLines);
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load-per-thread = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"], mode = tcp, default-backend = be
                       tcp-request = [ "inspect-delay 5s", "content lua.greet" ]
                     }
                     backends.be {
                       mode = tcp
                       servers { s = "127.0.0.1:%d" }
                       tcp-response = [ "inspect-delay 5s", "content lua.tag_banner" ]
                     }
                     """.formatted(lua, server.getLocalPort()))) {
            try (Socket client = connect(proxy)) {
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                // The first line in two pieces: the action waits for the end of it.
                out.write("HEL".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(100);
                out.write("LO bob\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("proxy: hi bob\n", readLine(in));
                assertEquals("[bob] 220 welcome\n", readLine(in));
                assertEquals("you said: hello BOB\n", readLine(in));
                assertEquals("hello BOB", firstLines.poll(5, TimeUnit.SECONDS));
                out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("you said: bye\n", readLine(in));
                client.shutdownOutput();
                assertEquals("", readToEnd(in));
            }
            try (Socket rude = connect(proxy)) {
                rude.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                rude.getOutputStream().flush();
                assertEquals("proxy: say HELLO first\n", readLine(rude.getInputStream()));
                String rest = readToEnd(rude.getInputStream());
                assertTrue(rest.isEmpty() || rest.equals("<reset>"), rest);
            }
            assertEquals(null, firstLines.poll(200, TimeUnit.MILLISECONDS), "a refused client never reaches the server");
        }
    }

    @Test
    void tcpResponseRulesRefuseAnAnswerByItsFirstBytes() throws Exception {
        Path lua = Files.writeString(dir.resolve("count.lua"), """
                -- Counts what the server said first, without changing it.
                core.register_action("measure", { "tcp-res" }, function(txn)
                  local first = txn.res:data(0, 4)       -- waits for 4 bytes
                  txn:set_var("txn.first", first)
                end)
                """);
        try (ServerSocket bad = lineServer("ERR! go away\n", new LinkedBlockingQueue<>());
             ServerSocket good = lineServer("OK ready\n", new LinkedBlockingQueue<>());
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     lua.load = [ "%s" ]
                     frontends.fe {
                       bind = ["127.0.0.1:0"], mode = tcp, default-backend = bad
                       tcp-request = [ "inspect-delay 2s", "content accept if { req.len gt 0 }" ]
                     }
                     frontends.fe2 { bind = ["127.0.0.1:0"], mode = tcp, default-backend = good }
                     backends.bad {
                       mode = tcp
                       servers { s = "127.0.0.1:%d" }
                       tcp-response = [ "inspect-delay 2s",
                                        "content lua.measure",
                                        "content reject if { var(txn.first) -m str ERR! }" ]
                     }
                     backends.good {
                       mode = tcp
                       servers { s = "127.0.0.1:%d" }
                       tcp-response = [ "inspect-delay 2s",
                                        "content reject if { res.payload(0,4) -m bin 45525221 }",
                                        "content accept if { res.len ge 4 }" ]
                     }
                     """.formatted(lua, bad.getLocalPort(), good.getLocalPort()))) {
            try (Socket client = connect(proxy)) {
                client.getOutputStream().write("anything\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                String got = readToEnd(client.getInputStream());
                assertTrue(got.isEmpty() || got.equals("<reset>"), "nothing of the refused answer passes: " + got);
            }
            try (Socket client = new Socket("127.0.0.1", proxy.port("fe2"))) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("good day\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                InputStream in = client.getInputStream();
                assertEquals("OK ready\n", readLine(in));
                assertEquals("you said: good day\n", readLine(in));
            }
        }
    }
}
