package io.luagate.kernel.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.InvalidConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code luagate reload -c FILE}: asks the luagate running FILE to reload it, through the runtime
 * API socket FILE configures ({@code stats.socket}): it sends the line {@code reload} and prints
 * the answer ({@code Success=1} and the new generation, or {@code Success=0} and one problem a
 * line). Exit 0 when the new configuration serves, 1 when it was refused (the old one serves on),
 * 2 when no process answers (no socket configured, nothing listening, no answer in time).
 */
@Command(name = "reload", description = "Make the running luagate reload its configuration (through stats.socket);"
        + " exit 0 reloaded, 1 refused, 2 no answer.")
final class ReloadCommand implements Callable<Integer> {

    static final int RELOADED = 0;
    static final int REFUSED = 1;
    static final int NO_ANSWER = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for the answer (a reload compiles every script first). Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = config.resolve();
        Config merged;
        try {
            merged = ConfigLoader.merged(file);
        } catch (InvalidConfigException e) {
            e.problems().forEach(err::println);
            err.println("luagate reload: cannot read " + file + " to find the running process's stats.socket");
            err.flush();
            return NO_ANSWER;
        } catch (RuntimeException e) {
            err.println("luagate reload: cannot read " + file + ": " + e.getMessage());
            err.flush();
            return NO_ANSWER;
        }
        if (!merged.hasPath("stats.socket") || merged.getString("stats.socket").isBlank()) {
            err.println("luagate reload: " + file + " sets no stats.socket: the running process is reached through its runtime"
                    + " API socket (stats { socket = \"/run/luagate.sock\" }); send it SIGHUP instead");
            err.flush();
            return NO_ANSWER;
        }
        String socket = merged.getString("stats.socket");
        long waitMillis;
        try {
            // HOCON's durations, as the configuration writes them: 60s, 500ms, 2m.
            waitMillis = ConfigFactory.parseMap(Map.of("timeout", timeout)).getDuration("timeout").toMillis();
        } catch (RuntimeException e) {
            err.println("luagate reload: --timeout " + timeout + " is no duration (60s, 500ms, 2m...)");
            err.flush();
            return LuagateCommand.USAGE;
        }
        String answer;
        try {
            answer = ask(address(socket), "reload\n", waitMillis);
        } catch (IOException e) {
            err.println("luagate reload: no answer on " + socket + ": " + e.getMessage() + " (is luagate running with " + file + "?)");
            err.flush();
            return NO_ANSWER;
        }
        String trimmed = answer.strip();
        if (trimmed.startsWith("Success=1")) {
            out.println(trimmed);
            out.flush();
            return RELOADED;
        }
        err.println(trimmed.isEmpty() ? "luagate reload: the process on " + socket + " closed without answering" : trimmed);
        if (trimmed.startsWith("Permission denied")) {
            err.println("luagate reload: reloading needs the socket's admin level (stats { level = admin })");
        }
        err.flush();
        return trimmed.startsWith("Success=0") ? REFUSED : NO_ANSWER;
    }

    /** {@code ipv4@host:port} or {@code host:port} is TCP (HAProxy's notation); anything else a unix socket path. */
    static SocketAddress address(String socket) {
        String value = socket.startsWith("ipv4@") ? socket.substring(5) : socket;
        int colon = value.lastIndexOf(':');
        if (!value.startsWith("/") && !value.startsWith(".") && colon > 0 && value.substring(colon + 1).matches("\\d+")) {
            return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        }
        Path path = Path.of(value);
        return UnixDomainSocketAddress.of(path.isAbsolute() ? path : Home.dir().resolve(path));
    }

    /**
     * Sends {@code command} and reads the answer: up to the empty line that ends it (HAProxy's
     * runtime API ends each answer so), or until the process closes the connection.
     */
    static String ask(SocketAddress address, String command, long timeoutMillis) throws IOException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "reload-timeout");
            thread.setDaemon(true);
            return thread;
        });
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            // Blocking reads have no timeout of their own on a SocketChannel: closing it ends them.
            timer.schedule(() -> {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            channel.connect(address);
            channel.write(ByteBuffer.wrap(command.getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (true) {
                int read;
                try {
                    read = channel.read(buffer);
                } catch (IOException e) {
                    if (!channel.isOpen() && answer.size() == 0) {
                        throw new IOException("no answer within " + timeoutMillis + " ms");
                    }
                    break;
                }
                if (read < 0) {
                    break;
                }
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                String text = answer.toString(StandardCharsets.UTF_8);
                if (text.endsWith("\n\n") && !text.isBlank()) {
                    break;
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        } finally {
            timer.shutdownNow();
        }
    }
}
