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
import java.util.concurrent.atomic.AtomicInteger;
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
        Luagate running = luagate;
        Signal.handle(new Signal("HUP"), signal -> {
            LOG.info("SIGHUP: reloading {}", file);
            // The outcome is logged by the reload itself, on its own thread: the signal thread does not wait.
            running.reloadAsync();
        });
        stop.await();
        luagate.drain(Duration.ofMillis(luagate.settings().global().graceMillis()), hurry);
        return 0;
    }
}
