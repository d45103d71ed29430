package io.luagate.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code luagate reload} against a peer that speaks the runtime API's side of the protocol (one
 * line {@code reload} in, {@code Success=1} or {@code Success=0} and the problems out, an empty
 * line at the end) on a real unix socket or TCP port: what it sends, prints, and its exit status.
 */
class ReloadCommandTest {

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

    private Path config(String statsSocket) throws IOException {
        Path file = dir.resolve("luagate.conf");
        Files.writeString(file, statsSocket == null ? "global.threads = 1\n"
                : "stats { socket = \"" + statsSocket + "\" }\n");
        return file;
    }

    /** Accepts one connection, reads what comes until the line ends, answers {@code answer}, closes. */
    private static CompletableFuture<String> answerOnce(ServerSocketChannel server, String answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel channel = server.accept()) {
                ByteBuffer buffer = ByteBuffer.allocate(256);
                StringBuilder asked = new StringBuilder();
                while (asked.indexOf("\n") < 0 && channel.read(buffer) > 0) {
                    asked.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
                    buffer.clear();
                }
                channel.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                return asked.toString();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void aReloadTheProcessAcceptsExitsZero() throws Exception {
        Path socket = dir.resolve("luagate.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> asked = answerOnce(server, "Success=1\nGeneration: 2\n\n");
            assertEquals(0, run("reload", "-c", config(socket.toString()).toString()), err.toString());
            assertEquals("reload\n", asked.get());
            assertEquals("Success=1\nGeneration: 2", out.toString().strip());
        }
    }

    @Test
    void aRefusedConfigurationExitsOneWithItsProblems() throws Exception {
        Path socket = dir.resolve("luagate.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            answerOnce(server, "Success=0\n/etc/luagate.conf:3: lua.load: hello.lua:2: 'end' expected\n\n");
            assertEquals(1, run("reload", "-c", config(socket.toString()).toString()));
            assertTrue(err.toString().contains("hello.lua:2: 'end' expected"), err.toString());
            assertTrue(err.toString().startsWith("Success=0"), err.toString());
        }
    }

    @Test
    void aTcpSocketInHaproxysNotationIsReachedToo() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            CompletableFuture<String> asked = answerOnce(server, "Success=1\n\n");
            assertEquals(0, run("reload", "-c", config("ipv4@127.0.0.1:" + port).toString()), err.toString());
            assertEquals("reload\n", asked.get());
        }
    }

    @Test
    void withoutStatsSocketNoProcessCanBeAskedExitsTwo() throws Exception {
        assertEquals(2, run("reload", "-c", config(null).toString()));
        assertTrue(err.toString().contains("sets no stats.socket"), err.toString());
        assertTrue(err.toString().contains("SIGHUP"), err.toString());
    }

    @Test
    void aSocketNobodyListensOnExitsTwo() throws Exception {
        Path socket = dir.resolve("nobody.sock");
        assertEquals(2, run("reload", "-c", config(socket.toString()).toString()));
        assertTrue(err.toString().contains("no answer on " + socket), err.toString());
    }

    @Test
    void anAnswerThatIsNoReloadAnswerExitsTwo() throws Exception {
        Path socket = dir.resolve("luagate.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            // What a runtime API without the reload command answers.
            answerOnce(server, "Unknown command: 'reload', but maybe one of the following ones is a better match:\n\n");
            assertEquals(2, run("reload", "-c", config(socket.toString()).toString()));
            assertTrue(err.toString().contains("Unknown command"), err.toString());
        }
    }
}
