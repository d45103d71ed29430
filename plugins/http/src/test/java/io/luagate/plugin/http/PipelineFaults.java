package io.luagate.plugin.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.api.HookType;
import com.code_intelligence.jazzer.api.MethodHook;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * What went wrong inside the codec's pipelines where no test could otherwise see it: exceptions
 * handed to the session's, an HTTP/2 connection's or an upstream's {@code exceptionCaught} (which
 * closes the connection and says nothing) other than I/O errors and a client's HTTP/2 protocol errors, Netty warnings (a task that threw, an exception that
 * reached the tail of a pipeline) and leak reports. The hooks are Jazzer method hooks, registered
 * by {@code junit-platform.properties}; they work while a fuzz test runs.
 */
public final class PipelineFaults {

    private static final ConcurrentLinkedQueue<String> FAULTS = new ConcurrentLinkedQueue<>();
    private static volatile boolean logsWatched;

    private PipelineFaults() {
    }

    @MethodHook(type = HookType.BEFORE, targetClassName = "io.luagate.plugin.http.HttpSessionHandler",
            targetMethod = "exceptionCaught")
    public static void clientSide(MethodHandle method, Object handler, Object[] arguments, int hookId) {
        record("client pipeline", (Throwable) arguments[1]);
    }

    @MethodHook(type = HookType.BEFORE, targetClassName = "io.luagate.plugin.http.UpstreamHandler",
            targetMethod = "exceptionCaught")
    public static void upstreamSide(MethodHandle method, Object handler, Object[] arguments, int hookId) {
        record("upstream pipeline", (Throwable) arguments[1]);
    }

    /** An HTTP/2 connection's own errors: the client's protocol errors are its doing, the rest ours. */
    @MethodHook(type = HookType.BEFORE, targetClassName = "io.luagate.plugin.http.Http2ClientConnection$ConnectionEnd",
            targetMethod = "exceptionCaught")
    public static void http2Connection(MethodHandle method, Object handler, Object[] arguments, int hookId) {
        if (!(arguments[1] instanceof io.netty.handler.codec.http2.Http2Exception)) {
            record("HTTP/2 connection", (Throwable) arguments[1]);
        }
    }

    private static void record(String where, Throwable cause) {
        // Resets and broken pipes are the peers' doing, not a fault of ours.
        if (!(cause instanceof IOException)) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            FAULTS.add(where + ": " + trace);
        }
    }

    /** Starts collecting Netty's warnings and leak reports (once per JVM). */
    static synchronized void watchLogs() {
        if (logsWatched) {
            return;
        }
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        AppenderBase<ILoggingEvent> collector = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                String name = event.getLoggerName();
                if (event.getLevel().isGreaterOrEqual(Level.WARN) && (name.startsWith("io.netty") || name.startsWith("io.luagate"))
                        || event.getFormattedMessage().contains("LEAK")) {
                    FAULTS.add(name + " " + event.getLevel() + ": " + event.getFormattedMessage()
                            + (event.getThrowableProxy() == null ? "" : " (" + event.getThrowableProxy().getClassName()
                            + ": " + event.getThrowableProxy().getMessage() + ")"));
                }
            }
        };
        collector.setContext(root.getLoggerContext());
        collector.start();
        root.addAppender(collector);
        logsWatched = true;
    }

    /** The faults recorded since the last call. */
    static List<String> drain() {
        List<String> drained = new ArrayList<>();
        for (String fault = FAULTS.poll(); fault != null; fault = FAULTS.poll()) {
            drained.add(fault);
        }
        return drained;
    }
}
