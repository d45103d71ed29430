package io.luagate.kernel.log;

import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Logback's reports of trouble with its own set-up (a warning or an error: an appender that
 * fails, a bad level), printed to stderr as they come, as logback prints them when no listener
 * is registered. Its information reports are dropped, as logback drops them then.
 */
final class LogbackProblems extends ContextAwareBase implements StatusListener {

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() >= Status.WARN) {
            System.err.println(status);
            if (status.getThrowable() != null) {
                status.getThrowable().printStackTrace(System.err);
            }
        }
    }
}
