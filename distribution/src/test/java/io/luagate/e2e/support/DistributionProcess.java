package io.luagate.e2e.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The unpacked distribution run as a user runs it: {@code bin/luagate ...} in its own process. */
public final class DistributionProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private DistributionProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code bin/luagate args...} of {@code home} with extra environment variables. */
    public static DistributionProcess start(Path home, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/luagate").toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("luagate-process", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return new DistributionProcess(builder.start(), output);
    }

    /** Runs a command to its end and returns its exit status; output via {@link #output()}. */
    public static DistributionProcess run(Path home, String... args) throws IOException, InterruptedException {
        DistributionProcess p = start(home, Map.of(), args);
        if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
            p.process.destroyForcibly();
            throw new AssertionError("bin/luagate " + String.join(" ", args) + " did not finish:\n" + p.output());
        }
        return p;
    }

    public int exitValue() {
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "<no output: " + e + ">";
        }
    }

    /** Waits until something accepts connections on 127.0.0.1:{@code port}. */
    public void awaitListening(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("luagate exited with " + process.exitValue() + ":\n" + output());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing listens on " + port + " after " + timeout + ":\n" + output());
    }

    /** Sends SIGTERM and waits for the exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("luagate did not exit within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    public Process process() {
        return process;
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
