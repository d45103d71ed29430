package io.luagate.plugin.runtimeapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One connection to the runtime API, served as HAProxy 2.6's {@code cli_io_handler} serves it: a
 * request ends at a line feed or at a semicolon not escaped by a backslash; every answer ends with
 * an empty line. Without {@code prompt}, the connection closes once a command is answered and no
 * more input is waiting (so several commands sent at once are all answered); with it, each answer
 * is followed by {@code "> "} and the connection stays. A line ending in {@code <<} takes the
 * lines up to an empty one as its payload. A request longer than HAProxy's buffer closes the
 * connection, as in HAProxy.
 *
 * <p>Runs on a thread of its own, and may block: reads wait for the client (bounded by the idle
 * timeout the server enforces by closing the channel), commands may wait (a reload).
 */
final class CliSession {

    /** HAProxy's request chunk (tune.bufsize) less its terminating byte. */
    static final int MAX_REQUEST = 16383;

    private final ByteChannel channel;
    private final CommandTable commands;
    private final CliConnection connection;
    private final Runnable armTimeout;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);
    /** Bytes received and not yet consumed, one char per byte (ISO-8859-1). */
    private final StringBuilder pending = new StringBuilder();

    /**
     * @param armTimeout called before every wait for input: (re)starts the idle timer
     */
    CliSession(ByteChannel channel, CommandTable commands, Level level, Runnable armTimeout) {
        this.channel = channel;
        this.commands = commands;
        this.connection = new CliConnection(level);
        this.armTimeout = armTimeout;
    }

    /** Serves the connection until it ends; never throws for the peer's doings. */
    void run() throws IOException {
        String command = null;
        StringBuilder payload = null;
        while (true) {
            String line = payload != null ? nextPayloadLine() : nextLine();
            if (line == null) {
                if (pending.length() >= MAX_REQUEST || !read()) {
                    return;
                }
                continue;
            }
            String answer;
            if (payload != null) {
                if (!line.isEmpty()) {
                    if (command.length() + payload.length() + line.length() + 1 > MAX_REQUEST) {
                        return;
                    }
                    payload.append(line).append('\n');
                    if (connection.interactive()) {
                        write("+ ");
                    }
                    continue;
                }
                if (!payload.isEmpty()) {
                    payload.setLength(payload.length() - 1);
                }
                answer = execute(command, payload.toString());
                payload = null;
            } else if (CommandLine.announcesPayload(line)) {
                command = line;
                payload = new StringBuilder();
                if (connection.interactive()) {
                    write("+ ");
                }
                continue;
            } else {
                answer = execute(line, null);
            }
            if (connection.quit()) {
                return;
            }
            boolean noLf = connection.takeNoTrailingLine();
            write(answer + (connection.interactive() ? (noLf ? "> " : "\n> ") : (noLf ? "" : "\n")));
            if (!connection.interactive() && pending.isEmpty()) {
                return;
            }
        }
    }

    private String execute(String line, String payload) {
        List<String> words = CommandLine.words(line);
        return commands.run(words, payload, connection);
    }

    /** The next request: up to an unescaped LF or semicolon, without it nor a CR before it; {@code null} if none yet. */
    private String nextLine() {
        for (int i = 0; i < pending.length() && i < MAX_REQUEST; i++) {
            char c = pending.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\n' || c == ';') {
                return take(i);
            }
        }
        return null;
    }

    /** The next payload line: up to a LF (no escapes, no semicolons); {@code null} if none yet. */
    private String nextPayloadLine() {
        int lf = pending.indexOf("\n");
        return lf < 0 || lf >= MAX_REQUEST ? null : take(lf);
    }

    private String take(int delimiter) {
        int end = delimiter;
        if (end > 0 && pending.charAt(end - 1) == '\r') {
            end--;
        }
        String line = pending.substring(0, end);
        pending.delete(0, delimiter + 1);
        return line;
    }

    /** Reads more input; false at the end of the stream. */
    private boolean read() throws IOException {
        armTimeout.run();
        readBuffer.clear();
        int n = channel.read(readBuffer);
        if (n < 0) {
            return false;
        }
        readBuffer.flip();
        while (readBuffer.hasRemaining()) {
            pending.append((char) (readBuffer.get() & 0xff));
        }
        return true;
    }

    private void write(String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }
}
