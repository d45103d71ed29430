package io.luagate.kernel.cli;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.InvalidConfigException;
import io.luagate.kernel.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What {@code luagate run} does: serve until SIGTERM or SIGINT, then drain for {@code global.grace}
 * and exit 0. A second signal ends the grace period. The JVM's own shutdown hooks would make the
 * exit status 143, hence the signal handler. SIGHUP reloads the file ({@link Luagate#reload()}) and
 * logs the outcome. Shared by picocli's {@link RunCommand} and {@link PlainRunLine}'s way past picocli.
 */
final class Serving {

    private static final Logger LOG = LoggerFactory.getLogger(Serving.class);

    private Serving() {
    }

    /** Serves {@code file} until a signal; 1 (with every problem on {@code err}) if it is refused. */
    static int serve(Path file, PrintWriter err) throws InterruptedException {
        // The handlers go in before anything listens: a supervisor that sends SIGTERM or SIGHUP
        // as soon as the port answers must find them, or the JVM's defaults would end the process
        // (exit 143 or 129) instead of draining or reloading.
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch hurry = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (signals.incrementAndGet() == 1) {
                    stop.countDown();
                } else {
                    hurry.countDown();
                }
            });
        }
        AtomicReference<Luagate> running = new AtomicReference<>();
        AtomicBoolean reloadAsked = new AtomicBoolean();
        Signal.handle(new Signal("HUP"), signal -> {
            LOG.info("SIGHUP: reloading {}", file);
            reloadAsked.set(true);
            Luagate started = running.get();
            // The outcome is logged by the reload itself, on its own thread: the signal thread does not wait.
            if (started != null && reloadAsked.compareAndSet(true, false)) {
                started.reloadAsync();
            }
        });
        Luagate luagate;
        try {
            Settings settings = ConfigLoader.load(file, Home.dir());
            luagate = Luagate.start(settings, Home.dir(), file);
        } catch (InvalidConfigException e) {
            // The settings, or the plugins and rules, are refused: the report is check's, whole.
            List<ConfigProblem> problems = ConfigurationCheck.problems(file);
            if (problems.isEmpty()) {
                problems = e.problems();
            }
            problems.forEach(err::println);
            err.println("luagate not started: " + problems.size() + " problem(s) in " + file);
            err.flush();
            return 1;
        }
        running.set(luagate);
        // A SIGHUP that came while starting may have read the file before the change it announces.
        if (reloadAsked.compareAndSet(true, false)) {
            luagate.reloadAsync();
        }
        stop.await();
        luagate.drain(Duration.ofMillis(luagate.settings().global().graceMillis()), hurry);
        return 0;
    }
}
