package io.luagate.leakcheck;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty's leak detector reports a ByteBuf leak during it. Registered for
 * every test through JUnit's extension auto-detection (see the parent POM); the tests run with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 *
 * <p>Netty reports a leak when a later allocation finds a collected, unreleased buffer; so after
 * the class, this forces collections and allocations until the reports are in.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 5 && LEAKS.isEmpty(); i++) {
            System.gc();
            Thread.sleep(50);
            for (ByteBufAllocator allocator : new ByteBufAllocator[] {
                    PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT, ByteBufAllocator.DEFAULT}) {
                for (int j = 0; j < 32; j++) {
                    ByteBuf probe = allocator.buffer(16);
                    probe.release();
                }
            }
        }
        if (!LEAKS.isEmpty()) {
            String report = String.join("\n\n", LEAKS);
            LEAKS.clear();
            throw new AssertionError("Netty reported ByteBuf leaks in " + context.getDisplayName() + ":\n" + report);
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        Logger logger = (Logger) LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector");
        AppenderBase<ILoggingEvent> collector = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getFormattedMessage().contains("LEAK")) {
                    LEAKS.add(event.getFormattedMessage());
                }
            }
        };
        collector.setContext(logger.getLoggerContext());
        collector.start();
        logger.addAppender(collector);
        installed = true;
    }
}
