package io.luagate.plugin.runtimeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection protocol over a real unix socket, byte for byte as HAProxy 2.6.12 answers (each
 * expectation was read from HAProxy with the same input).
 */
class CliSessionTest {

    @TempDir
    Path dir;

    private ScheduledExecutorService timer;
    private CliServer server;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        CommandTable table = new CommandTable();
        SessionCommands.register(table);
        table.add("show backend", "show backend                            : list backends in the current running config",
                        r -> "# name\napp\n")
                .add("add map", "add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)",
                        r -> "payload=" + r.payload() + "\n")
                .add("del server", "del server <bk>/<srv>                   : remove a dynamically added server", r -> {
                    throw new CliError("No such server.\n", true);
                });
        socket = dir.resolve("luagate.sock");
        timer = CliServer.newTimer();
        server = CliServer.unix(socket, table, new StatsSocketSettings(socket, null, Level.ADMIN, "600", 500, 2), timer);
    }

    @AfterEach
    void stop() {
        server.close();
        timer.shutdownNow();
    }

    /** Sends {@code input}, then reads until the server closes (or 2 s pass: "<<TIMEOUT>>"). */
    private String exchange(String input, boolean closeOutput) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(input.getBytes(StandardCharsets.ISO_8859_1)));
            if (closeOutput) {
                channel.shutdownOutput();
            }
            return readAll(channel);
        }
    }

    private static String readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + 2_000_000_000L;
        channel.configureBlocking(false);
        while (System.nanoTime() < deadline) {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (java.net.SocketException e) {
                // Closed with our input unread: a reset, which ends the exchange as a close does.
                n = -1;
            }
            if (n < 0) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            out.write(buffer.array(), 0, n);
            if (n == 0) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1) + "<<TIMEOUT>>";
    }

    @Test
    void oneCommandIsAnsweredWithATrailingEmptyLineThenTheConnectionCloses() throws IOException {
        assertEquals("# name\napp\n\n", exchange("show backend\n", false));
        assertEquals("# name\napp\n\n", exchange("  show   backend  \r\n", false));
    }

    @Test
    void commandsSentTogetherAreAllAnswered() throws IOException {
        assertEquals("# name\napp\n\n# name\napp\n\n", exchange("show backend;show backend\n", false));
        assertEquals("# name\napp\n\n# name\napp\n\n", exchange("show backend\nshow backend\n", false));
        assertEquals("\nPermission denied\n\n", exchange("user;operator\n", false));
    }

    @Test
    void promptModeKeepsTheConnectionAndPromptsAfterEachAnswer() throws IOException {
        long start = System.nanoTime();
        assertEquals("\n> ", exchange("prompt\n", false));
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 400, "kept open until the idle timeout");
        assertEquals("\n> # name\napp\n\n> \n# name\napp\n\n",
                exchange("prompt\nshow backend\nprompt\nshow backend\n", false));
        assertEquals("\n> ", exchange("prompt\nquit\n", false));
    }

    @Test
    void someAnswersHaveNoTrailingEmptyLine() throws IOException {
        // (haproxy) del server answers without the empty line; in prompt mode the prompt follows at once.
        assertEquals("No such server.\n", exchange("del server app/x\n", false));
        assertEquals("\n> No such server.\n> ", exchange("prompt\ndel server app/x\nquit\n", false));
        assertEquals("No such server.\n# name\napp\n\n", exchange("del server app/x;show backend\n", false));
    }

    @Test
    void quitAnswersNothing() throws IOException {
        assertEquals("", exchange("quit\n", false));
    }

    @Test
    void anIncompleteLineWaitsAndAClosedInputEndsIt() throws IOException {
        long start = System.nanoTime();
        assertEquals("", exchange("show backend", true));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 400, "closed with the input");
    }

    @Test
    void anIdleConnectionIsClosedAfterTheTimeout() throws IOException {
        long start = System.nanoTime();
        assertEquals("", exchange("show back", false));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 400 && millis < 1900, "closed after " + millis + " ms");
    }

    @Test
    void aPayloadRunsToTheFirstEmptyLine() throws IOException {
        assertEquals("payload=k1 v1\nk2 v2\n\n", exchange("add map #0 <<\nk1 v1\nk2 v2\n\n", false));
        assertEquals("\n> + + + payload=k1 v1\nk2 v2\n\n> ", exchange("prompt\nadd map #0 <<\nk1 v1\nk2 v2\n\nquit\n", false));
    }

    @Test
    void aRequestLongerThanTheBufferClosesTheConnection() throws IOException {
        assertEquals("", exchange("x".repeat(CliSession.MAX_REQUEST + 10), false));
    }

    @Test
    void theSocketFileTakesItsModeAndIsRemovedAtStop() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        server.close();
        assertTrue(Files.notExists(socket));
    }

    @Test
    void aSocketAnotherProcessAnswersOnIsRefused() {
        IOException e = assertThrows(IOException.class, () -> CliServer.unix(socket, new CommandTable(),
                new StatsSocketSettings(socket, null, Level.ADMIN, null, 500, 2), timer));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    @Test
    void aStaleSocketFileIsReplaced() throws IOException {
        server.close();
        Files.createFile(socket);
        server = CliServer.unix(socket, new CommandTable(), new StatsSocketSettings(socket, null, Level.USER, null, 500, 2),
                timer);
        assertTrue(exchange("\n", false).startsWith("Unknown command. Please enter one of the following commands only:\n"));
    }
}
